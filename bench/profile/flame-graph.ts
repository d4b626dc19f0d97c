import { areaOf, type IndexedProfile, type ProfileNode } from './cpu-profile.ts';

const width = 1200;
const rowHeight = 16;
const minimumWidth = 0.6;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A stable colour per area, so one package or platform folder reads as one hue. */
function colorOf(area: string): string {
  let hash = 0;
  for (const character of area) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  if (area.startsWith('platform/')) return `hsl(${hash % 40}, 85%, ${60 + (hash % 15)}%)`;
  if (area.startsWith('node:')) return `hsl(${200 + (hash % 40)}, 60%, ${68 + (hash % 12)}%)`;
  return `hsl(${60 + (hash % 100)}, 55%, ${62 + (hash % 15)}%)`;
}

/**
 * A flame graph (root at the bottom, callers below callees, width = inclusive busy time) of a
 * profile as SVG, without `(idle)`; frames narrower than a pixel are left out. Hover shows the
 * function, its area and its share.
 */
export function flameGraphSvg(indexed: IndexedProfile, title: string): string {
  const { nodes, selfMicroseconds } = indexed;
  const inclusive = new Map<number, number>();
  const total = (node: ProfileNode): number => {
    const cached = inclusive.get(node.id);
    if (cached !== undefined) return cached;
    if (node.callFrame.functionName === '(idle)') {
      inclusive.set(node.id, 0);
      return 0;
    }
    let sum = selfMicroseconds.get(node.id) ?? 0;
    for (const child of node.children ?? []) {
      const childNode = nodes.get(child);
      if (childNode) sum += total(childNode);
    }
    inclusive.set(node.id, sum);
    return sum;
  };
  const root = indexed.profile.nodes[0];
  if (!root) return '<svg xmlns="http://www.w3.org/2000/svg"/>';
  const busy = total(root);
  const frames: string[] = [];
  let maxDepth = 0;
  const place = (node: ProfileNode, x: number, depth: number) => {
    const nodeWidth = busy > 0 ? ((inclusive.get(node.id) ?? 0) / busy) * width : 0;
    if (nodeWidth < minimumWidth) return;
    maxDepth = Math.max(maxDepth, depth);
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const area = areaOf(url, functionName);
    const share = (((inclusive.get(node.id) ?? 0) / busy) * 100).toFixed(2);
    const label = nodeWidth > 40 ? escapeXml(name.slice(0, Math.floor(nodeWidth / 7))) : '';
    frames.push(
      `<g><title>${escapeXml(`${name} — ${area}${url ? `:${lineNumber + 1}` : ''} — ${share}%`)}</title>` +
        `<rect x="${x.toFixed(2)}" y="DEPTH${depth}" width="${nodeWidth.toFixed(2)}" height="${rowHeight - 1}" fill="${colorOf(area)}"/>` +
        (label ? `<text x="${(x + 3).toFixed(2)}" y="TEXT${depth}" font-size="11">${label}</text>` : '') +
        '</g>',
    );
    let childX = x;
    for (const child of node.children ?? []) {
      const childNode = nodes.get(child);
      if (!childNode) continue;
      place(childNode, childX, depth + 1);
      childX += busy > 0 ? ((inclusive.get(childNode.id) ?? 0) / busy) * width : 0;
    }
  };
  place(root, 0, 0);
  const height = (maxDepth + 1) * rowHeight + 40;
  const rowY = (depth: number) => height - 10 - (depth + 1) * rowHeight;
  const body = frames
    .join('\n')
    .replace(/DEPTH(\d+)/g, (_, depth: string) => String(rowY(Number(depth))))
    .replace(/TEXT(\d+)/g, (_, depth: string) => String(rowY(Number(depth)) + 12));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="4" y="18" font-size="13" font-family="system-ui, sans-serif">${escapeXml(title)}</text>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}
