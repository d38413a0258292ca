/**
 * Markdown in scenarios (narrative, notes, prompts, explanations): rendered to safe HTML for the
 * player, and checked by the loader. Raw HTML is never passed through (markdown-it with html: false
 * escapes it), links and images may only point to http:, https:, mailto: or a #anchor (anything else
 * stays plain text), and external links open in a new tab without an opener. The loader refuses raw
 * HTML and other links outright (findUnsafeMarkdown), so a trainer learns about them before a workshop.
 * No DOM here: this runs in Node (the CLI, tests) and in the browser alike.
 */
import MarkdownIt, { type MarkdownIt as MarkdownItInstance, type Token } from 'markdown-it';

/** True for the URLs a scenario may link to: http(s), mailto, or an anchor on the same page. */
export function isAllowedUrl(url: string): boolean {
  const u = url.trim();
  return u.startsWith('#') || /^(https?:\/\/|mailto:)/i.test(u);
}

const isExternal = (url: string) => /^https?:\/\//i.test(url.trim());

let renderer: MarkdownItInstance | undefined;

function safeRenderer(): MarkdownItInstance {
  if (renderer) return renderer;
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.validateLink = isAllowedUrl;
  const linkOpen = md.renderer.rules.link_open;
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (isExternal(String(token.attrGet('href') ?? ''))) {
      token.attrSet('target', '_blank');
      token.attrSet('rel', 'noopener noreferrer');
    }
    return linkOpen ? linkOpen(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };
  renderer = md;
  return md;
}

/** Scenario Markdown as safe HTML (block level: paragraphs, lists, code, links). */
export function renderMarkdown(md: string): string {
  return safeRenderer().render(md);
}

/** The same for one line (a title, a choice): no surrounding paragraph. */
export function renderMarkdownInline(md: string): string {
  return safeRenderer().renderInline(md);
}

export type MarkdownIssue =
  /** Raw HTML: `tag` as found, e.g. '<script>', '</b>', '<!--'; `snippet` is what to look for in the source. */
  | { kind: 'html'; tag: string; snippet: string }
  /** A link or image to a URL that is not http(s), mailto or #anchor. */
  | { kind: 'link'; url: string; image: boolean; snippet: string };

let detector: MarkdownItInstance | undefined;

function detectingParser(): MarkdownItInstance {
  if (detector) return detector;
  // Parse with HTML on and every link accepted, so that nothing hides from the check.
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  md.validateLink = () => true;
  detector = md;
  return md;
}

function tagOf(html: string): string {
  const t = html.trimStart();
  if (t.startsWith('<!--')) return '<!--';
  const m = /^<(\/?[A-Za-z!?][^\s/>]*)/.exec(t);
  return m ? `<${m[1]}>` : t.slice(0, 20);
}

/**
 * The raw HTML tags (each distinct tag once) and the disallowed links and images in `md`, in document
 * order. Code spans and code blocks are Markdown, not HTML, and are fine.
 */
export function findUnsafeMarkdown(md: string): MarkdownIssue[] {
  const issues: MarkdownIssue[] = [];
  const seenTags = new Set<string>();
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'html_block' || token.type === 'html_inline') {
        const tag = tagOf(token.content);
        const name = tag.replace('</', '<').toLowerCase();
        if (!seenTags.has(name)) {
          seenTags.add(name);
          const snippet = tag === '<!--' ? '<!--' : tag.slice(0, -1);
          issues.push({ kind: 'html', tag, snippet });
        }
      } else if (token.type === 'link_open' || token.type === 'image') {
        const url = String(token.attrGet(token.type === 'image' ? 'src' : 'href') ?? '');
        if (!isAllowedUrl(url)) {
          issues.push({ kind: 'link', url, image: token.type === 'image', snippet: url });
        }
      }
      if (token.children) visit(token.children);
    }
  };
  visit(detectingParser().parse(md, {}));
  return issues;
}
