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

test('the example client stack, whole (the platform team\'s guard against unreviewed changes)', () => {
  expect(normalized(Template.fromStack(exampleStack()).toJSON())).toMatchSnapshot();
});
