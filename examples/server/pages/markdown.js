// A small Markdown subset rendered SAFELY into DOM nodes: headings, paragraphs, lists, fenced
// code, block quotes, pipe tables, **bold**, *emphasis*, `code` and [links](https://…). The source
// is never parsed as HTML: every piece of text becomes a text node, so a <script> or an onerror
// attribute in a submission's feedback is shown as the characters it is. Links keep only http(s)
// and same-site targets (no javascript: URLs).
'use strict';

const markdown = (() => {
  const SAFE_URL = /^(https?:\/\/|\/(?!\/)|#)/i;

  // Inline spans of one line of text, appended to `parent`.
  function inline(parent, text) {
    const pattern = /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\[([^\]]+)\]\(([^)\s]+)\)/g;
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      if (match.index > last) parent.append(document.createTextNode(text.slice(last, match.index)));
      if (match[2] !== undefined) {
        parent.append(api.element('code', null, match[2]));
      } else if (match[3] !== undefined || match[4] !== undefined) {
        const strong = api.element('strong');
        inline(strong, match[3] !== undefined ? match[3] : match[4]);
        parent.append(strong);
      } else if (match[5] !== undefined || match[6] !== undefined) {
        const em = api.element('em');
        inline(em, match[5] !== undefined ? match[5] : match[6]);
        parent.append(em);
      } else if (match[7] !== undefined) {
        if (SAFE_URL.test(match[8])) {
          const link = api.element('a', { href: match[8], rel: 'noopener noreferrer' });
          inline(link, match[7]);
          parent.append(link);
        } else {
          parent.append(document.createTextNode(match[0]));
        }
      }
      last = match.index + match[0].length;
    }
    if (last < text.length) parent.append(document.createTextNode(text.slice(last)));
  }

  const cells = (line) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());

  // Renders `source` into a new <div class="feedback">.
  function render(source) {
    const root = api.element('div', { class: 'feedback' });
    const lines = String(source || '').replace(/\r\n?/g, '\n').split('\n');
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      let match;
      if (/^\s*$/.test(line)) { ++i; continue; }
      if ((match = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$/.exec(line))) {
        // A fence closes at a line of the same character, at least as long (so ```` can hold ```).
        const fence = match[1];
        const closing = new RegExp(`^\\s{0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
        const body = [];
        for (++i; i < lines.length && !closing.test(lines[i]); ++i) body.push(lines[i]);
        ++i;
        root.append(api.element('pre', null, api.element('code', null, body.join('\n'))));
        continue;
      }
      if ((match = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line))) {
        // Feedback sits under the page's own headings: # becomes h3, ## h4, ...
        const heading = api.element(`h${Math.min(6, match[1].length + 2)}`);
        inline(heading, match[2]);
        root.append(heading);
        ++i;
        continue;
      }
      if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) { root.append(api.element('hr')); ++i; continue; }
      if (/^\s*>/.test(line)) {
        const quoted = [];
        for (; i < lines.length && /^\s*>/.test(lines[i]); ++i) quoted.push(lines[i].replace(/^\s*>\s?/, ''));
        const quote = api.element('blockquote');
        quote.append(...render(quoted.join('\n')).childNodes);
        root.append(quote);
        continue;
      }
      if (line.includes('|') && i + 1 < lines.length && /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(lines[i + 1])) {
        const table = api.element('table');
        const head = api.element('tr');
        for (const cell of cells(line)) { const th = api.element('th', { scope: 'col' }); inline(th, cell); head.append(th); }
        table.append(api.element('thead', null, head));
        const body = api.element('tbody');
        for (i += 2; i < lines.length && lines[i].includes('|') && lines[i].trim() !== ''; ++i) {
          const row = api.element('tr');
          for (const cell of cells(lines[i])) { const td = api.element('td'); inline(td, cell); row.append(td); }
          body.append(row);
        }
        table.append(body);
        root.append(api.element('div', { class: 'table-wrap' }, table));
        continue;
      }
      const item = /^\s*([-*+]|\d+[.)])\s+/;
      if (item.test(line)) {
        const ordered = /^\s*\d/.test(line);
        const list = api.element(ordered ? 'ol' : 'ul');
        for (; i < lines.length && item.test(lines[i]); ++i) {
          const li = api.element('li');
          inline(li, lines[i].replace(item, ''));
          list.append(li);
        }
        root.append(list);
        continue;
      }
      if (/^ {4}|^\t/.test(line)) {
        const body = [];
        for (; i < lines.length && (/^ {4}|^\t/.test(lines[i]) || lines[i].trim() === ''); ++i)
          body.push(lines[i].replace(/^ {4}|^\t/, ''));
        root.append(api.element('pre', null, api.element('code', null, body.join('\n').replace(/\n+$/, ''))));
        continue;
      }
      const paragraph = [];
      for (; i < lines.length && lines[i].trim() !== '' && !/^(#{1,6}\s|\s*```|\s*~~~|\s*>|\s*([-*+]|\d+[.)])\s)/.test(lines[i]); ++i)
        paragraph.push(lines[i].trim());
      if (paragraph.length === 0) { paragraph.push(line.trim()); ++i; }
      const p = api.element('p');
      paragraph.forEach((text, index) => {
        if (index > 0) p.append(api.element('br'));
        inline(p, text);
      });
      root.append(p);
    }
    return root;
  }

  return { render };
})();
