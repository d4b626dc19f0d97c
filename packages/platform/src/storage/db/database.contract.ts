import { describe } from 'vitest';
import type { DatabaseFactory } from './contract/database-under-test.ts';
import { describeMigrationContract } from './contract/migrations-contract.ts';
import { describeParameterContract } from './contract/parameters-contract.ts';
import { describeStatementContract } from './contract/statements-contract.ts';
import { describeTransactionContract } from './contract/transactions-contract.ts';
import { describeTypeContract } from './contract/types-contract.ts';

export type { DatabaseFactory, DatabaseUnderTest } from './contract/database-under-test.ts';

/**
 * The relational store contract every backend passes: migrations, result types, parameter binding,
 * transactions, errors, bulk statements, row counts, ping and close. `factory` must return a fresh,
 * empty store each call; its `cleanup` closes the database and removes the store.
 */
export function runDatabaseContract(name: string, factory: DatabaseFactory): void {
  describe(`${name}: Database contract`, () => {
    describeMigrationContract(factory);
    describeTypeContract(factory);
    describeParameterContract(factory);
    describeTransactionContract(factory);
    describeStatementContract(factory);
  });
}
