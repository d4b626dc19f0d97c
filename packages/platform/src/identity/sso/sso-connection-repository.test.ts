import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../support/index.ts';
import { databaseBackends, type OpenedDatabase } from './database-backends.fixture.ts';
import {
  createSqlSsoConnectionSource,
  deleteSsoConnection,
  findSsoConnectionSummary,
  saveSsoConnection,
} from './sso-connection-repository.ts';
import { parseSsoConnectionInput } from './sso-connection-schema.ts';

const secretBox = createSecretBox(randomBytes(32));
const input = {
  issuer: 'https://login.microsoftonline.com/tenant-id/v2.0',
  client_id: 'client-id',
  client_secret: 'the-client-secret-value',
  redirect_uri: 'https://kimi.example.com/v1/auth/sso/callback',
  role_mapping: { 'Kimi.Admin': 'admin' },
  default_role: 'viewer',
  bearer_audiences: ['api://kimi'],
};

for (const backend of await databaseBackends()) {
  describe(`SSO connections on ${backend.name}`, () => {
    let opened: OpenedDatabase;
    beforeAll(async () => {
      opened = await backend.open();
    });
    afterAll(async () => {
      await opened.close();
    });

    it('stores the client secret sealed and opens it for the protocol code only', async () => {
      const { database } = opened;
      const summary = await saveSsoConnection(
        database,
        secretBox,
        'org_a',
        parseSsoConnectionInput(input),
        new Date(),
      );
      expect(summary).toMatchObject({
        organizationId: 'org_a',
        issuer: input.issuer,
        clientSecretSuffix: 'alue',
        roleMapping: { 'Kimi.Admin': 'admin' },
        defaultRole: 'viewer',
        bearerAudiences: ['api://kimi'],
        scopes: ['openid', 'profile', 'email'],
      });
      expect(JSON.stringify(summary)).not.toContain(input.client_secret);
      const stored = await database.query<{ sealed_client_secret: string }>(
        'SELECT sealed_client_secret FROM sso_connections WHERE organization_id = $1',
        ['org_a'],
      );
      expect(stored.rows[0]?.sealed_client_secret).not.toContain(input.client_secret);

      const source = createSqlSsoConnectionSource(database, secretBox);
      expect(await source.find('org_a')).toMatchObject({
        clientSecret: input.client_secret,
        clientId: 'client-id',
      });
      expect(await source.find('org_b')).toBeNull();
      expect(
        (await source.findByIssuer(input.issuer)).map((connection) => connection.organizationId),
      ).toEqual(['org_a']);
    });

    it('keeps the stored secret when an update omits it, and refuses a new connection without one', async () => {
      const { database } = opened;
      const { client_secret: _secret, ...withoutSecret } = input;
      await saveSsoConnection(
        database,
        secretBox,
        'org_a',
        parseSsoConnectionInput({ ...withoutSecret, require_sso: true }),
        new Date(),
      );
      const source = createSqlSsoConnectionSource(database, secretBox);
      expect(await source.find('org_a')).toMatchObject({
        requireSso: true,
        clientSecret: input.client_secret,
      });
      await expect(
        saveSsoConnection(database, secretBox, 'org_b', parseSsoConnectionInput(withoutSecret), new Date()),
      ).rejects.toMatchObject({ code: 'SSO_CLIENT_SECRET_REQUIRED', param: 'client_secret' });
    });

    it('binds a sealed secret to its organisation: a row copied to another one does not open', async () => {
      const { database } = opened;
      await saveSsoConnection(database, secretBox, 'org_b', parseSsoConnectionInput(input), new Date());
      await database.query(
        `UPDATE sso_connections SET sealed_client_secret = (SELECT sealed_client_secret FROM sso_connections WHERE organization_id = 'org_a')
          WHERE organization_id = 'org_b'`,
      );
      await expect(createSqlSsoConnectionSource(database, secretBox).find('org_b')).rejects.toThrow();
    });

    it('deletes a connection', async () => {
      const { database } = opened;
      expect(await deleteSsoConnection(database, 'org_b')).toBe(true);
      expect(await deleteSsoConnection(database, 'org_b')).toBe(false);
      expect(await findSsoConnectionSummary(database, 'org_b')).toBeNull();
      expect(await findSsoConnectionSummary(database, 'org_a')).toMatchObject({ requireSso: true });
    });
  });
}
