// The pieces every HTML page of this package is built from (the `check` report, `serve`'s
// status page): escaping, colours that keep their contrast, chips, the page frame with its CSP.
// The pages carry no script and load nothing: everything is inline.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text fit for HTML content and quoted attribute values: `& < > " '` as entities, so that
 * nothing a connector sends can open a tag or leave an attribute.
 */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);

/** The one colour form a page uses as a colour; anything else is shown as text. */
const HEX_COLOUR = /^#[0-9A-Fa-f]{6}$/;
export const isHexColour = (text: string): boolean => HEX_COLOUR.test(text);

// WCAG 2.x relative luminance of an sRGB colour.
function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** The WCAG contrast ratio of two `#RRGGBB` colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

/**
 * Black or white, whichever contrasts more with `background`: at least 4.58:1 for every colour,
 * so a chip's text always meets WCAG AA (4.5:1).
 */
export const textColourOn = (background: string): '#000000' | '#ffffff' =>
  contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';

/**
 * A label as a chip in its own colour; a colour that is not `#RRGGBB` is not used but shown as
 * text, flagged. `title` says the id, for hover and screen readers.
 */
export function labelChip(label: { name: string; color_code: string; _id?: string | undefined }): string {
  const title = label._id === undefined ? '' : ` title="id ${escapeHtml(label._id)}"`;
  const name = label.name === '' ? '(no name)' : label.name;
  if (!isHexColour(label.color_code)) {
    return `<span class="chip chip-bad"${title}>${escapeHtml(name)} <small>colour ${escapeHtml(JSON.stringify(label.color_code))} is not #RRGGBB</small></span>`;
  }
  const colour = label.color_code.toLowerCase();
  return `<span class="chip" data-colour="${colour}" style="background-color:${colour};color:${textColourOn(colour)}"${title}>${escapeHtml(name)}</span>`;
}

/** An unknown label id, as a chip without colour; `why` says where it was looked for. */
export const unknownLabelChip = (id: string, why = 'not in the label list'): string => `<span class="chip chip-bad">${escapeHtml(id)} <small>${escapeHtml(why)}</small></span>`;

/**
 * The page's Content-Security-Policy: nothing loads (no script, font, frame or remote image),
 * inline styles and `data:` images only; forms may only go back to the page itself. As a
 * header it also forbids framing (`frame-ancestors`, which a meta element cannot carry).
 */
export const pageCsp = (forms: 'none' | 'self' = 'none', where: 'meta' | 'header' = 'meta'): string =>
  `default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action '${forms}'${where === 'header' ? "; frame-ancestors 'none'" : ''}`;

const BASE_CSS = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--card:#f6f8fa;
--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--skip:#57606a;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;--card:#161b22;
--pass:#3fb950;--fail:#ff7b72;--warn:#d29922;--skip:#9198a1;--accent:#58a6ff}}
*{box-sizing:border-box}
body{margin:0;padding:1.5rem;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:70rem;margin:0 auto}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:1.75rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
th{color:var(--muted);font-weight:600}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--card);border:1px solid var(--line);padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:.35rem 0}
.muted{color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;margin:.5rem 0}
.chip{display:inline-block;border-radius:999px;padding:.05rem .6rem;margin:.1rem .2rem .1rem 0;font-size:.85rem;border:1px solid var(--line)}
.chip-bad{background:var(--card);color:var(--fg);border:1px dashed var(--fail)}
.state{font-weight:700;white-space:nowrap}
.state-pass{color:var(--pass)}.state-fail{color:var(--fail)}.state-warn{color:var(--warn)}.state-skip{color:var(--skip)}
svg text{fill:var(--fg);font:11px system-ui,sans-serif}
svg .axis{stroke:var(--line)}svg .budget{stroke:var(--fail);stroke-dasharray:4 3}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dt{color:var(--muted)}dd{margin:0;word-break:break-all}
@media print{:root{--bg:#ffffff;--fg:#000000;--muted:#333333;--card:#ffffff}body{padding:0;font-size:11pt}
details::details-content{content-visibility:visible;display:block}details>summary{list-style:none}tr,.card{break-inside:avoid}.chip{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
`;

/**
 * A whole page: doctype, the CSP as a meta (the report is a file: no header carries it), the
 * styles, and `body`, which the caller has escaped.
 */
export function htmlPage(title: string, body: string, options: { css?: string; forms?: 'none' | 'self' } = {}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${pageCsp(options.forms)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>${BASE_CSS}${options.css ?? ''}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
