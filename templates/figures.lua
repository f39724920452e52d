--[[
figures.lua: Quarto-style figures and tables for the pandoc + Typst path.

The report sources are Quarto markdown: a figure is `![caption](file.png){#fig-id fig-alt="..."}`
and a table caption is `: caption {#tbl-id}`. Quarto numbers these and turns `fig-alt` into
the image's alternative text; plain pandoc does neither, so this filter does it:

- HTML: "Figure N: " / "Table N: " is prefixed to each caption (numbered in document order,
  as Quarto does) and `fig-alt` becomes the `alt` attribute of the <img>.
- Typst: each figure becomes `#figure(image(..., alt: ...), caption: [...]) <fig-id>`; Typst
  numbers figures and tables itself ("Figure 3: ...", "Table 2: ..."), in the same order.

A figure without alt text is an error: every chart in the INA must be readable without
sight (Public Sector Bodies Accessibility Regulations 2018).
]]

local figure_count = 0
local table_count = 0

local function is_typst()
  return FORMAT:match("typst") ~= nil
end

local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("\n", " ") .. '"'
end

local function caption_inlines(caption)
  local blocks = caption.long or {}
  if #blocks == 0 then
    return pandoc.Inlines({})
  end
  return pandoc.utils.blocks_to_inlines(blocks)
end

local function prefixed_caption(prefix, caption)
  local inlines = caption_inlines(caption)
  local result = pandoc.Inlines({ pandoc.Str(prefix) })
  if #inlines > 0 then
    result:insert(pandoc.Space())
    result:extend(inlines)
  end
  return { long = { pandoc.Plain(result) }, short = caption.short }
end

local function first_image(blocks)
  local found = nil
  pandoc.Blocks(blocks):walk({
    Image = function(img)
      if found == nil then
        found = img
      end
    end,
  })
  return found
end

function Figure(figure)
  local image = first_image(figure.content)
  if image == nil then
    return nil
  end
  local alt = image.attributes["fig-alt"]
  if alt == nil or alt == "" then
    error("figure '" .. figure.identifier .. "' (" .. image.src .. ") has no fig-alt text")
  end
  figure_count = figure_count + 1
  if is_typst() then
    local caption = pandoc.write(pandoc.Pandoc({ pandoc.Plain(caption_inlines(figure.caption)) }), "typst")
    caption = caption:gsub("%s+$", "")
    local label = ""
    if figure.identifier ~= "" then
      label = " <" .. figure.identifier .. ">"
    end
    local code = "#figure(image(" .. typst_string(image.src) .. ", width: 92%, alt: "
      .. typst_string(alt) .. "),\n  caption: [" .. caption .. "],\n)" .. label
    return pandoc.RawBlock("typst", code)
  end
  figure.content = pandoc.Blocks(figure.content):walk({
    Image = function(img)
      img.attributes["fig-alt"] = nil
      img.caption = pandoc.Inlines({ pandoc.Str(alt) })
      return img
    end,
  })
  figure.caption = prefixed_caption("Figure " .. figure_count .. ":", figure.caption)
  return figure
end

function Table(tbl)
  if #caption_inlines(tbl.caption) == 0 then
    return nil
  end
  table_count = table_count + 1
  if is_typst() then
    return nil
  end
  tbl.caption = prefixed_caption("Table " .. table_count .. ":", tbl.caption)
  return tbl
end

-- The HTML cover (templates/cover.html.j2) carries the title; without this pandoc would
-- print it a second time in its own title block. `pagetitle` still names the page.
function Meta(meta)
  if FORMAT:match("html") then
    meta.title = nil
  end
  return meta
end
