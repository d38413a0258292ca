import type { LaunchPlan } from './attack';

/** The plan with a patched kernel (a backdoor appended), as an operator who builds the image could make it. */
export function withBackdooredKernel(plan: LaunchPlan): LaunchPlan {
  const backdoor = new TextEncoder().encode(' backdoor');
  return {
    ...plan,
    components: plan.components.map((c) =>
      c.name === 'kernel' ? { name: c.name, bytes: Uint8Array.from([...c.bytes, ...backdoor]) } : c,
    ),
  };
}
