/** The four trust domains, in the colours of the Red Hat primer (platform red, host blue, tenant green). */
export const DOMAINS = [
  { id: 'platform', name: 'Platform', summary: 'CPU, security processor, root of trust' },
  { id: 'host', name: 'Host', summary: 'Hypervisor, host admin, devices' },
  { id: 'guest', name: 'Guest / tenant', summary: 'Firmware, kernel, workload' },
  { id: 'owner', name: 'Owner / relying party', summary: 'Verifier, key broker' },
] as const;
