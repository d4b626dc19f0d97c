import { createTemporaryDatabase, postgresAvailable } from '../../../test/support/services.ts';
import { migrateDatabase, openDatabase } from '../db/index.ts';
import { prepareChunkVectors } from './chunk-vectors.ts';
import { runVectorStoreContract } from './vector-store.contract.ts';
import { createVectorStore } from './vector-store.ts';

/** The chunk store on every backend: pgvector in PGlite, the exact scan in PGlite and in PostgreSQL. */
runVectorStoreContract('PGlite with pgvector (HNSW)', 'pgvector', async () => {
  const owner = await openDatabase({ dataDirectory: 'memory://', extensions: 'vector' });
  await migrateDatabase(owner);
  const store = createVectorStore(await prepareChunkVectors(owner));
  return { owner, store, cleanup: () => owner.close() };
});

runVectorStoreContract('PGlite, exact scan', 'exact-scan', async () => {
  const owner = await openDatabase({ dataDirectory: 'memory://' });
  await migrateDatabase(owner);
  const store = createVectorStore(await prepareChunkVectors(owner));
  return { owner, store, cleanup: () => owner.close() };
});

if (await postgresAvailable()) {
  runVectorStoreContract('PostgreSQL without pgvector (exact scan)', 'exact-scan', async () => {
    const temporary = await createTemporaryDatabase();
    const owner = await openDatabase({ databaseUrl: temporary.url, dataDirectory: 'memory://' });
    await migrateDatabase(owner);
    const store = createVectorStore(await prepareChunkVectors(owner));
    return {
      owner,
      store,
      async cleanup() {
        await owner.close();
        await temporary.drop();
      },
    };
  });
}
