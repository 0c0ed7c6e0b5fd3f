/** render(toRender, recursive=true) and renderOnce(toRender), with every variable in scope. */
import { failAt, MAX_DEPTH, type ArgMap, type CallSite, type FunctionDefinition } from '../context';
import { typeName } from '../values';

function renderWith(args: ArgMap, site: CallSite, recursive: boolean): unknown {
  if (!args.has('toRender')) throw failAt(site, `The '${site.name}' function expects an argument 'toRender'`);
  if (site.ctx.renderDepth >= MAX_DEPTH) throw failAt(site, `render() nested more than ${MAX_DEPTH} levels deep`);
  return site.ctx.renderObject(args.get('toRender'), site.ctx.allVariables(), recursive, site.ctx.renderDepth + 1);
}

export const RENDER_FUNCTIONS: Record<string, FunctionDefinition> = {
  render: {
    args: ['toRender', 'recursive'],
    call(args, site) {
      const recursive = args.get('recursive') ?? true;
      if (typeof recursive !== 'boolean') {
        throw failAt(site, `The 'render' function expects an optional argument 'recursive' with type boolean, got ${typeName(recursive)}`);
      }
      return renderWith(args, site, recursive);
    },
  },
  renderOnce: {
    args: ['toRender'],
    call: (args, site) => renderWith(args, site, false),
  },
};
