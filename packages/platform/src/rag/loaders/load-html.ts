import { Parser } from 'htmlparser2';

/** Elements whose content is not part of the readable text. */
const hidden = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'iframe', 'object']);
/** Elements that end a paragraph of text. */
const blocks = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'nav',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'li',
  'table',
  'tr',
  'dl',
  'dt',
  'dd',
  'figure',
  'figcaption',
  'form',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

/**
 * HTML as readable text: scripts, styles and the head left out, headings kept as Markdown `#`
 * lines, each block its own paragraph, list items as `- ` lines, table cells separated by ` | `,
 * whitespace collapsed as a browser would. The `<title>` becomes the title.
 */
export function loadHtml(html: string): { text: string; title?: string } {
  const paragraphs: string[] = [];
  let current = '';
  let hiddenDepth = 0;
  let inTitle = false;
  let title = '';
  let inPre = 0;
  const flush = () => {
    const text = inPre > 0 ? current.replace(/^\n+|\n+$/g, '') : current.replace(/\s+/g, ' ').trim();
    if (text !== '') paragraphs.push(text);
    current = '';
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'title') inTitle = true;
        if (hidden.has(name)) hiddenDepth += 1;
        if (hiddenDepth > 0) return;
        if (blocks.has(name)) flush();
        const heading = /^h([1-6])$/.exec(name);
        if (heading) current = `${'#'.repeat(Number(heading[1]))} `;
        if (name === 'li') current = '- ';
        if (name === 'pre') inPre += 1;
        if (name === 'td' || name === 'th') current += current.trim() === '' ? '' : ' | ';
      },
      ontext(text) {
        if (inTitle) title += text;
        if (hiddenDepth === 0) current += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (hidden.has(name)) {
          hiddenDepth = Math.max(0, hiddenDepth - 1);
          return;
        }
        if (hiddenDepth > 0) return;
        if (blocks.has(name)) flush();
        if (name === 'pre') inPre = Math.max(0, inPre - 1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  const cleanTitle = title.replace(/\s+/g, ' ').trim();
  return { text: paragraphs.join('\n\n'), ...(cleanTitle ? { title: cleanTitle } : {}) };
}
