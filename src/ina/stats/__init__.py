"""Public health statistics: PHEindicatormethods parity and Fingertips conventions."""
