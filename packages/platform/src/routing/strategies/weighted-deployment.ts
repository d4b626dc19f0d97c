/** What a strategy orders: a deployment's public model id and its weight in the group. */
export interface WeightedDeployment {
  id: string;
  weight: number;
}

/** Ties between deployments: the higher weight first, then the order of the config file. */
export function compareByWeightThenPosition(
  first: { weight: number; position: number },
  second: { weight: number; position: number },
): number {
  return second.weight - first.weight || first.position - second.position;
}
