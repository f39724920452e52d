--[[
web.lua: tables and charts that stay readable on a phone (HTML only; both renderers).

Run after figures.lua on the pandoc path, and after Quarto's own filters on the Quarto
path (`filters: [quarto, templates/web.lua]` in _quarto.yml), so captions are numbered.

- Every table is put in a scroll region of its own: a <div class="ina-scroll"> that is
  focusable (tabindex 0, so a keyboard can scroll it: WCAG 2.1.1), a named region (its
  label says it may scroll sideways), with a visible cue (report.css: edge shadows while
  there is more to see, and a "scroll sideways" hint on narrow screens). The page itself
  never scrolls sideways (WCAG 1.4.10 exempts data tables, not the page).
- Every chart image gets a minimum width (`min-width-px`, set by the report assembler
  from the chart's smallest text, so that text is never under 12 px) and the same scroll
  region, so on a 390 px screen it keeps legible text and scrolls instead of shrinking.
]]

local function is_html()
  return FORMAT:match("html") ~= nil
end

local function plain_text(inlines)
  return pandoc.utils.stringify(inlines or {})
end

local function caption_text(caption)
  if caption == nil then
    return ""
  end
  if caption.long ~= nil then
    return plain_text(pandoc.utils.blocks_to_inlines(caption.long))
  end
  return plain_text(caption)
end

local function scroll_region(blocks, label, kind)
  local hint = pandoc.Div(
    { pandoc.Plain({ pandoc.Str("Scroll sideways to see all of the " .. kind .. ".") }) },
    pandoc.Attr("", { "ina-scroll-hint" }, { { "aria-hidden", "true" } })
  )
  -- Attributes as a list of pairs: a Lua table with keys would come out in a random
  -- order, and the same inputs must give the same bytes.
  local region = pandoc.Div(blocks, pandoc.Attr("", { "ina-scroll" }, {
    { "role", "region" },
    { "tabindex", "0" },
    { "aria-label", label .. " (may scroll sideways)" },
  }))
  return { hint, region }
end

local function short_label(text, fallback)
  local first = text:match("^(%a+ %d+)") -- "Table 3", "Figure 2"
  if first ~= nil then
    return first .. ": " .. text:gsub("^%a+ %d+[:.]?%s*", "")
  end
  if text ~= "" then
    return text
  end
  return fallback
end

function Table(tbl)
  if not is_html() then
    return nil
  end
  local label = short_label(caption_text(tbl.caption), "Table")
  local blocks = scroll_region({ tbl }, label, "table")
  return blocks
end

local function sized_image(img)
  local width = img.attributes["min-width-px"]
  img.attributes["min-width-px"] = nil
  if width ~= nil then
    local style = img.attributes["style"] or ""
    img.attributes["style"] = style .. "min-width:" .. width .. "px;"
  end
  return img
end

function Figure(figure)
  if not is_html() then
    return nil
  end
  local has_image = false
  figure.content = pandoc.Blocks(figure.content):walk({
    Image = function(img)
      has_image = true
      return sized_image(img)
    end,
  })
  if not has_image then
    return nil
  end
  local label = short_label(caption_text(figure.caption), "Chart")
  local content = pandoc.Blocks({})
  content:extend(scroll_region(figure.content, label, "chart"))
  figure.content = content
  return figure
end

-- An image outside a Figure (none today) still gets its legible width.
function Image(img)
  if is_html() and img.attributes["min-width-px"] ~= nil then
    return sized_image(img)
  end
  return nil
end
