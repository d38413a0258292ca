import { describe, expect, it } from 'vitest';
import {
  findUnsafeMarkdown,
  isAllowedUrl,
  renderMarkdown,
  renderMarkdownInline,
} from '../../../src/scenario/markdown';

describe('renderMarkdown: safe HTML for the player', () => {
  it('renders Markdown', () => {
    expect(renderMarkdown('Some **bold** and `code`.')).toBe(
      '<p>Some <strong>bold</strong> and <code>code</code>.</p>\n',
    );
    expect(renderMarkdownInline('*one* line')).toBe('<em>one</em> line');
  });

  it('escapes raw HTML: <script> and <img onerror> come out as text', () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\nA picture: <img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it.each([
    '[click](javascript:alert(1))',
    '[click](JavaScript:alert(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '![x](data:image/svg+xml,<svg onload=alert(1)>)',
    '[x](vbscript:msgbox)',
    '[x](file:///etc/passwd)',
    '[x](&#106;avascript:alert(1))',
    '<javascript:alert(1)>',
    '[x][r]\n\n[r]: javascript:alert(1)',
  ])('drops the link in %j (it stays text)', (md) => {
    const html = renderMarkdown(md);
    expect(html).not.toMatch(/<a |<img /);
    expect(html).not.toMatch(/href=|src=/);
  });

  it('keeps http(s), mailto and #anchor links; external ones open a new tab without an opener', () => {
    expect(renderMarkdown('[spec](https://example.org/a?b=1)')).toBe(
      '<p><a href="https://example.org/a?b=1" target="_blank" rel="noopener noreferrer">spec</a></p>\n',
    );
    expect(renderMarkdown('[mail](mailto:a@example.org)')).toBe(
      '<p><a href="mailto:a@example.org">mail</a></p>\n',
    );
    expect(renderMarkdown('[the matrix](#matrix)')).toBe('<p><a href="#matrix">the matrix</a></p>\n');
    expect(renderMarkdown('[relative](other.html)')).toBe('<p>[relative](other.html)</p>\n');
  });

  it('does not turn bare URLs into links (linkify is off)', () => {
    expect(renderMarkdown('see https://example.org')).toBe('<p>see https://example.org</p>\n');
  });
});

describe('findUnsafeMarkdown: what the loader refuses', () => {
  it('finds raw HTML tags once each, and disallowed links and images', () => {
    expect(
      findUnsafeMarkdown(
        '<script>alert(1)</script>\n\nHi <b>x</b> <img src=x onerror=alert(1)> [a](javascript:x) ![i](data:x) <!-- c -->',
      ),
    ).toEqual([
      { kind: 'html', tag: '<script>', snippet: '<script' },
      { kind: 'html', tag: '<b>', snippet: '<b' },
      { kind: 'html', tag: '<img>', snippet: '<img' },
      { kind: 'link', url: 'javascript:x', image: false, snippet: 'javascript:x' },
      { kind: 'link', url: 'data:x', image: true, snippet: 'data:x' },
      { kind: 'html', tag: '<!--', snippet: '<!--' },
    ]);
  });

  it('accepts Markdown, code that shows HTML, and allowed links', () => {
    expect(
      findUnsafeMarkdown(
        'A `<script>` in code.\n\n```html\n<b>x</b>\n```\n\n[a](https://x.org) [b](#c) [m](mailto:a@b.c) 1 < 2 > 0',
      ),
    ).toEqual([]);
  });

  it('allows exactly http(s)://, mailto: and #anchors', () => {
    expect(['https://a.b', 'HTTP://a.b', 'mailto:x@y.z', '#top', ' https://a.b'].every(isAllowedUrl)).toBe(
      true,
    );
    expect(
      ['javascript:x', 'data:x', 'http:foo', '//a.b', 'a.html', '', 'ftp://a.b'].some(isAllowedUrl),
    ).toBe(false);
  });
});
