export { signCms } from './cms-signer.js';
export { argentinaTime, buildTra, type TraOptions } from './tra.js';
