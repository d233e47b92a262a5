// Agent lines in HTML (agent API §4.13): "no iframes, scripts or DOM manipulation; link
// targets forced to _blank". We strip what is not allowed rather than reject the line, so
// an agent tool that sends a little too much still reaches the visitor, safely.
import sanitizeHtml from 'sanitize-html';

const options: sanitizeHtml.IOptions = {
  allowedTags: ['div', 'span', 'p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'ul', 'ol', 'li', 'a', 'blockquote', 'code', 'pre', 'img'],
  allowedAttributes: {
    '*': ['dir', 'style'],
    a: ['href', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
  },
  allowedStyles: {
    '*': {
      direction: [/^(ltr|rtl)$/i],
      'text-align': [/^(left|right|center|justify)$/i],
      color: [/^#[0-9a-f]{3,8}$/i, /^rgb\([\d\s,]+\)$/i, /^[a-z]+$/i],
      'font-weight': [/^(bold|normal|\d{3})$/i],
      'font-style': [/^(italic|normal)$/i],
    },
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer' } }),
  },
};

export function cleanAgentHtml(html: string): string {
  return sanitizeHtml(html, options);
}
