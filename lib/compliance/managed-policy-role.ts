import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * An IAM role whose permissions live in one customer-managed policy, `<role>/Policy`, instead of an
 * inline one: grants, `addToPolicy` and `addToPrincipalPolicy` all land there. NIST 800-53 rev 5,
 * HIPAA Security and PCI DSS 3.2.1 (rule IAMNoInlinePolicy) want permissions in managed policies,
 * which are reviewed and versioned as objects of their own.
 */
export class ManagedPolicyRole extends iam.Role {
  /** The role's permissions (acknowledge IAM findings on it). */
  public readonly policy: iam.ManagedPolicy;

  public constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      roles: [this],
      description: props.description ?? `The permissions of ${this.node.path}`,
    });
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
