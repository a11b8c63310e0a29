/** The report's stylesheet: inline, for paper (A4 via Chromium) and for screens. */
export const REPORT_CSS = `
@page { size: A4; margin: 14mm; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2933; margin: 0 auto; max-width: 60rem; padding: 1rem; font-size: 11pt; }
h1 { font-size: 20pt; margin: 0 0 0.3rem; }
h2 { font-size: 15pt; margin: 1.2rem 0 0.4rem; }
h3 { font-size: 11pt; margin: 0.9rem 0 0.3rem; color: #4b5563; }
.muted { color: #4b5563; }
.small { font-size: 8pt; word-break: break-all; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 0.2rem 0.35rem; border-bottom: 1px solid #d9dde3; vertical-align: top; }
td.num { text-align: right; }
tr.unranked { color: #6b7280; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
a { color: inherit; }
section.talk { break-before: page; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 0.4rem; margin: 0.6rem 0; }
.figure { border: 1px solid #d9dde3; border-radius: 4px; padding: 0.3rem 0.5rem; }
.figure dt { font-size: 8pt; color: #4b5563; }
.figure dd { margin: 0; font-size: 14pt; font-weight: 700; }
svg { max-width: 100%; height: auto; display: block; }
`;
