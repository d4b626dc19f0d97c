import type { RandomSource } from '../../support/index.ts';
import type { WeightedDeployment } from './weighted-deployment.ts';

/**
 * A random permutation drawn by weight without replacement: the first deployment is picked with
 * probability weight / total, the next among the rest the same way, and so on; zero-weight
 * deployments (standbys) follow in config order. Uses one random number per positive-weight pick.
 */
export function orderWeighted<Deployment extends WeightedDeployment>(
  deployments: readonly Deployment[],
  random: RandomSource,
): Deployment[] {
  const remaining = deployments.filter((deployment) => deployment.weight > 0);
  const standbys = deployments.filter((deployment) => !(deployment.weight > 0));
  const ordered: Deployment[] = [];
  let total = remaining.reduce((sum, deployment) => sum + deployment.weight, 0);
  while (remaining.length > 1) {
    let point = random() * total;
    let index = 0;
    // Why the bound: floating-point sums can leave `point` a hair above the last cumulative weight.
    while (index < remaining.length - 1 && point >= remaining[index]!.weight) {
      point -= remaining[index]!.weight;
      index++;
    }
    const [picked] = remaining.splice(index, 1);
    ordered.push(picked!);
    total -= picked!.weight;
  }
  return [...ordered, ...remaining, ...standbys];
}
