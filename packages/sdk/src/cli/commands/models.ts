import type { Command } from 'commander';
import type { ActionBinder } from '../command-kit.ts';
import type { CommandContext } from '../context.ts';
import { formatCount, formatPrice, renderTable } from '../output/index.ts';

async function listModels(context: CommandContext): Promise<void> {
  const models = await (await context.client()).models.list();
  context.printJson(models);
  context.print(
    renderTable(models, [
      { header: 'id', value: (model) => model.id },
      { header: 'provider', value: (model) => model.owned_by },
      { header: 'kind', value: (model) => model.kimi?.kind },
      {
        header: 'context',
        value: (model) => formatCount(model.kimi?.context_window ?? null),
        align: 'right',
      },
      { header: 'input $/M', value: (model) => formatPrice(model.kimi?.pricing?.input), align: 'right' },
      { header: 'output $/M', value: (model) => formatPrice(model.kimi?.pricing?.output), align: 'right' },
      {
        header: 'note',
        value: (model) =>
          [
            model.kimi?.alias_for ? `alias for ${model.kimi.alias_for}` : '',
            model.kimi?.simulated ? 'simulated' : '',
          ]
            .filter(Boolean)
            .join(', '),
      },
    ]),
  );
}

/** `kimi models`: the models and aliases the key may use. */
export function registerModelCommands(program: Command, bind: ActionBinder): void {
  program
    .command('models')
    .description('List the models and aliases this key may use.')
    .action(bind(listModels));
}
