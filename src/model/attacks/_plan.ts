import { concatBytes, utf8 } from '../../core/crypto/bytes';
import type { LaunchPlan } from './attack';

/** The plan with a patched kernel (a backdoor appended), as an operator who builds the image could make it. */
export function withBackdooredKernel(plan: LaunchPlan): LaunchPlan {
  const backdoor = utf8(' backdoor');
  return {
    ...plan,
    components: plan.components.map((c) =>
      c.name === 'kernel' ? { name: c.name, bytes: concatBytes(c.bytes, backdoor) } : c,
    ),
  };
}
