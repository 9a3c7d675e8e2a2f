import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding on one construct, with its reason.
 *
 * `Validations.acknowledge` refuses ids with more than one `::`, yet cdk-nag names findings on
 * ARNs built from `Aws.PARTITION` and friends `...[Resource::arn:<AWS::Partition>:...]`. Those are
 * recorded under the same metadata key `Validations.acknowledge` writes, which cdk-nag reads.
 */
export function acknowledgeFinding(scope: IConstruct, id: string, reason: string): void {
  if (id.split('::').length <= 2) {
    Validations.of(scope).acknowledge({ id, reason });
  } else {
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }
}
