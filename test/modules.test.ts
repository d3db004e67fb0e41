import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkModuleOrder, hooksOf } from '../src/platform/module';
import { contactMergeSteps, modules, nodeTypes, organizationSetups } from '../src/modules';

describe('module list', () => {
  it('lists every module after the modules it uses', () => {
    expect(() => checkModuleOrder(modules)).not.toThrow();
    const names = modules.map((m) => m.name);
    for (const m of modules) {
      for (const used of m.uses)
        expect([m.name, names.indexOf(used) < names.indexOf(m.name)]).toEqual([m.name, true]);
    }
  });

  it('refuses a module listed before one it uses, or twice', () => {
    const a = { name: 'a', uses: [], entities: [], resolvers: [] };
    const b = { name: 'b', uses: ['a'], entities: [], resolvers: [] };
    expect(() => checkModuleOrder([b, a])).toThrow('Module "b" uses "a", which must be listed before it.');
    expect(() => checkModuleOrder([a, a])).toThrow('Module "a" is listed twice.');
  });

  it('builds the hook registries from the list, in module order', () => {
    expect(organizationSetups).toEqual(hooksOf(modules, 'organizationCreated'));
    // deals (the default pipeline), then billing (the FREE subscription).
    expect(organizationSetups).toEqual(
      ['deals', 'billing'].map((n) => modules.find((m) => m.name === n)?.hooks?.organizationCreated),
    );
    // deals, campaigns, calls: each moves its own rows when contacts are merged.
    expect(contactMergeSteps).toEqual(
      ['deals', 'campaigns', 'calls'].map((n) => modules.find((m) => m.name === n)?.hooks?.contactsMerged),
    );
  });

  it('builds the node(id) registry from the module list: every record type once', () => {
    expect([...nodeTypes.keys()].sort()).toEqual(
      [
        'Call',
        'Campaign',
        'CampaignMember',
        'Company',
        'ComplianceApplication',
        'Contact',
        'Deal',
        'PersistedDocument',
        'PhoneNumber',
        'Pipeline',
        'Stage',
        'User',
      ].sort(),
    );
  });

  it('imports another module only through its index.ts (its public surface)', () => {
    const root = path.resolve(__dirname, '../src/modules');
    const reachingIn: string[] = [];
    for (const dir of readdirSync(root)) {
      for (const file of readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.ts'))) {
        const text = readFileSync(path.join(root, dir, file), 'utf8');
        for (const m of text.matchAll(/from '\.\.\/([a-z-]+)\/([a-z.-]+)\.js'/g)) {
          if (m[2] !== 'index') reachingIn.push(`${dir}/${file} → ${m[1]}/${m[2]}`);
        }
      }
    }
    expect(reachingIn).toEqual([]);
  });
});
