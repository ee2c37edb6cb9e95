/** The row of a host above its containers, images or GPUs when there are several hosts (every view's top level). */
export interface HostNode {
  readonly hostNode: true;
  readonly name: string;
}

export function isHostNode(x: unknown): x is HostNode {
  return typeof x === 'object' && x !== null && (x as { hostNode?: unknown }).hostNode === true;
}
