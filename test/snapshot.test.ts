import { NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { exampleStack } from './support/example';

/**
 * Replaces what changes without a change of ours: asset hashes (64 hex digits) and the
 * per-region maps aws-cdk-lib keeps for runtimes and partitions.
 */
function normalized(template: Record<string, any>): Record<string, any> {
  const text = JSON.stringify(template).replace(/[a-f0-9]{64}/g, '<asset-hash>');
  const copy = JSON.parse(text);
  for (const name of Object.keys(copy.Mappings ?? {})) {
    if (/^(LatestNodeRuntimeMap|AWSCDKPartitionMap|.*RegionMap)/.test(name)) copy.Mappings[name] = '<runtime map>';
  }
  return copy;
}

test('the example client stack, whole, nested stacks included (the platform team\'s guard against unreviewed changes)', () => {
  const stack = exampleStack();
  const nested = stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack);
  expect(normalized({
    root: Template.fromStack(stack).toJSON(),
    ...Object.fromEntries(nested.map((n) => [n.node.path, Template.fromStack(n).toJSON()])),
  })).toMatchSnapshot();
});
