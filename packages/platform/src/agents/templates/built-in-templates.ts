import type { SwarmTemplate } from '../tool-contract.ts';
import { architectureReviewTemplate } from './built-in/architecture-review.ts';
import { codeReviewTemplate } from './built-in/code-review.ts';
import { researchReportTemplate } from './built-in/research-report.ts';
import { securityAuditTemplate } from './built-in/security-audit.ts';

/** The agent skills library every organisation has. */
export const builtInTemplates: readonly SwarmTemplate[] = [
  architectureReviewTemplate,
  codeReviewTemplate,
  researchReportTemplate,
  securityAuditTemplate,
];

export function findBuiltInTemplate(name: string): SwarmTemplate | null {
  return builtInTemplates.find((template) => template.name === name) ?? null;
}
