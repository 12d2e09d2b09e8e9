export { type FaultRule } from './faults.js';
export { type Sandbox, type SandboxOptions, startSandbox } from './sandbox.js';
