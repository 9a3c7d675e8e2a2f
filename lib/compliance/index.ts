export * from './acknowledgements';
export * from './managed-policy-role';
export * from './nag-checks';
