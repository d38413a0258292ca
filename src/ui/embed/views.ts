/**
 * The explorer's views, each fetched only when an embed shows it: an embed of the memory view never
 * downloads the statecharts (and with them the machine definitions) or the threat matrix.
 */
import type { ViewId } from '../state/url-state';

const LOADERS = {
  map: () => import('../views/TrustDomainMap.svelte'),
  boot: () => import('../views/BootChain.svelte'),
  attestation: () => import('../views/AttestationFlow.svelte'),
  memory: () => import('../views/MemoryInspector.svelte'),
  matrix: () => import('../views/ThreatMatrix.svelte'),
  statechart: () => import('../views/Statechart.svelte'),
} satisfies Record<ViewId, () => Promise<{ default: unknown }>>;

/** Each view's component. */
export type ViewComponents = { [K in ViewId]: Awaited<ReturnType<(typeof LOADERS)[K]>>['default'] };

/** The component of view `id`, downloaded on first use. */
export async function loadView<K extends ViewId>(id: K): Promise<ViewComponents[K]> {
  const module = (await LOADERS[id]()) as { default: ViewComponents[K] };
  return module.default;
}
