import type { Queryable } from '../../storage/db/index.ts';
import { randomBase62 } from '../../tenancy/index.ts';
import type { SwarmTemplate } from '../tool-contract.ts';
import { isUniqueViolation } from '../tools/stores/unique-violation.ts';
import { toolErrors } from '../tools/tool-errors.ts';

/** An organisation's template with its bookkeeping. */
export interface StoredTemplate {
  id: string;
  template: SwarmTemplate;
  createdAt: Date;
  updatedAt: Date;
}

interface TemplateRow {
  id: string;
  name: string;
  description: string;
  definition: Omit<SwarmTemplate, 'name' | 'description'>;
  created_at: Date;
  updated_at: Date;
}

const columns = 'id, name, description, definition, created_at, updated_at';

function toStored(row: TemplateRow): StoredTemplate {
  return {
    id: row.id,
    template: { name: row.name, description: row.description, ...row.definition },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function definitionOf(template: SwarmTemplate): string {
  const { name: _name, description: _description, ...definition } = template;
  return JSON.stringify(definition);
}

export async function createTemplate(
  database: Queryable,
  organizationId: string,
  template: SwarmTemplate,
): Promise<StoredTemplate> {
  try {
    const result = await database.query<TemplateRow>(
      `INSERT INTO organization_swarm_templates (id, organization_id, name, description, definition)
       VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING ${columns}`,
      [
        `tmpl_${randomBase62(20)}`,
        organizationId,
        template.name,
        template.description,
        definitionOf(template),
      ],
    );
    return toStored(result.rows[0]!);
  } catch (error) {
    if (isUniqueViolation(error)) throw toolErrors.alreadyExists('a template', template.name);
    throw error;
  }
}

/** Replaces a template's content; null when the organisation has no template of that name. */
export async function replaceTemplate(
  database: Queryable,
  organizationId: string,
  template: SwarmTemplate,
): Promise<StoredTemplate | null> {
  const result = await database.query<TemplateRow>(
    `UPDATE organization_swarm_templates SET description = $3, definition = $4::jsonb, updated_at = now()
      WHERE organization_id = $1 AND name = $2 RETURNING ${columns}`,
    [organizationId, template.name, template.description, definitionOf(template)],
  );
  return result.rows[0] ? toStored(result.rows[0]) : null;
}

export async function listTemplates(database: Queryable, organizationId: string): Promise<StoredTemplate[]> {
  const result = await database.query<TemplateRow>(
    `SELECT ${columns} FROM organization_swarm_templates WHERE organization_id = $1 ORDER BY name`,
    [organizationId],
  );
  return result.rows.map(toStored);
}

export async function findTemplate(
  database: Queryable,
  organizationId: string,
  name: string,
): Promise<StoredTemplate | null> {
  const result = await database.query<TemplateRow>(
    `SELECT ${columns} FROM organization_swarm_templates WHERE organization_id = $1 AND name = $2`,
    [organizationId, name],
  );
  return result.rows[0] ? toStored(result.rows[0]) : null;
}

export async function deleteTemplate(
  database: Queryable,
  organizationId: string,
  name: string,
): Promise<boolean> {
  const result = await database.query(
    'DELETE FROM organization_swarm_templates WHERE organization_id = $1 AND name = $2',
    [organizationId, name],
  );
  return result.rowCount > 0;
}
