import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../support/index.ts';
import { createCachedConnectionSource } from './cached-connection-source.ts';
import { connectionFor, InMemoryConnections } from './sso-test-doubles.fixture.ts';

const client = { clientId: 'client', clientSecret: 'secret', redirectUri: 'https://kimi.example.com/cb' };

describe('cached connection source', () => {
  it('answers from memory until the TTL passes or it is invalidated', async () => {
    const clock = createManualClock();
    const source = new InMemoryConnections();
    source.put(connectionFor('org_a', 'https://issuer.example', client));
    const cached = createCachedConnectionSource(source, clock, 30_000);
    expect(await cached.find('org_a')).toMatchObject({ clientId: 'client' });
    expect(await cached.find('org_none')).toBeNull();

    source.put(connectionFor('org_a', 'https://issuer.example', { ...client, clientId: 'renamed' }));
    source.put(connectionFor('org_none', 'https://issuer.example', client));
    expect(await cached.find('org_a')).toMatchObject({ clientId: 'client' });
    expect(await cached.find('org_none')).toBeNull();
    expect(await cached.findByIssuer('https://issuer.example')).toHaveLength(2);

    clock.advance(30_000);
    expect(await cached.find('org_a')).toMatchObject({ clientId: 'renamed' });
    source.connections.delete('org_a');
    cached.invalidate();
    expect(await cached.find('org_a')).toBeNull();
    expect(await cached.findByIssuer('https://issuer.example')).toHaveLength(1);
  });
});
