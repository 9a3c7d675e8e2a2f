import { NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { normalizeTemplate as normalized } from '../lib/testing';
import { exampleStack } from './support/example';

test('the example client stack, whole, nested stacks included (the platform team\'s guard against unreviewed changes)', () => {
  const stack = exampleStack();
  const nested = stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack);
  expect(normalized({
    root: Template.fromStack(stack).toJSON(),
    ...Object.fromEntries(nested.map((n) => [n.node.path, Template.fromStack(n).toJSON()])),
  })).toMatchSnapshot();
});
