--[[
headings.lua: a heading is never more than one level below the heading before it.

A chapter's "Key findings" heading (level 3, from ina.publishing.findings_markdown) may
come straight after the chapter title (level 1). Skipping a level breaks the document's
outline for screen-reader users (WCAG 1.3.1) and PDF/UA-1 refuses it, so such a heading
takes the next level down instead (3 -> 2). Run by both renderers for every format.
]]

local previous = 0

function Header(header)
  if header.level > previous + 1 then
    header.level = previous + 1
  end
  previous = header.level
  return header
end
