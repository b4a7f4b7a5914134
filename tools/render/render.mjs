// Usage: node render.mjs RENDERS_FOLDER OUT_FOLDER
// Each NAME.md becomes OUT/NAME.html (GFM as github.com renders it: tables, autolinks, <details>, tag filter) and each
// NAME.txt a terminal page; render.sh screenshots them. Suggestion blocks get GitHub's "Suggested change" frame.
import { readFileSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cmark = require('cmark-gfm');
const here = dirname(fileURLToPath(import.meta.url));
const css = readFileSync(join(here, 'node_modules/github-markdown-css/github-markdown-light.css'), 'utf8');
const [input, output] = process.argv.slice(2);
mkdirSync(output, { recursive: true });

const page = (body, extra = '') => `<!doctype html><html><head><meta charset="utf-8"><style>${css}
body { margin: 0; background: #fff; } .markdown-body { box-sizing: border-box; max-width: 880px; padding: 24px; font-size: 14px; }
pre code.language-suggestion { display: block; } pre:has(code.language-suggestion) { border: 1px solid #d0d7de; padding: 0; }
pre:has(code.language-suggestion)::before { content: "Suggested change"; display: block; background: #f6f8fa; border-bottom: 1px solid #d0d7de; padding: 6px 12px; font: 600 12px sans-serif; }
pre:has(code.language-suggestion) code { padding: 8px 12px; background: #e6ffec; }
hr { height: 8px !important; background: #eaeef2 !important; }
${extra}</style></head><body>${body}</body></html>`;

for (const name of readdirSync(input)) {
  const text = readFileSync(join(input, name), 'utf8');
  if (name.endsWith('.md')) {
    const html = cmark.renderHtmlSync(text, { extensions: { table: true, strikethrough: true, autolink: true, tagfilter: true, tasklist: true }, unsafe: true, githubPreLang: false });
    writeFileSync(join(output, name.replace(/\.md$/, '.html')), page(`<article class="markdown-body">${html}</article>`));
  } else if (name.endsWith('.txt')) {
    const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    writeFileSync(join(output, name.replace(/\.txt$/, '.html')), page(`<pre class="term">${escaped}</pre>`, '.term { margin: 0; padding: 16px; background: #1e1e1e; color: #ddd; font: 13px/1.35 monospace; width: 100ch; white-space: pre; }'));
  }
}
