export { freePort } from './free-port.js';
export { createTestDatabase, MIGRATIONS_DIR, type TestDatabase } from './test-database.js';
export {
  callWsfe,
  type Credentials,
  FEV1,
  login,
  loginCmsEnvelope,
  postSoap,
  signedLoginRequest,
  startTestSandbox,
  type TestSandbox,
  unescapeXml,
  WSDL_DIR,
  wsfeEnvelope,
} from './sandbox-harness.js';
export { toXml } from './xml-builder.js';
export { startNtpResponder } from './ntp-responder.js';
export { isProcessAlive } from './process-alive.js';
export { GENERATED_CUITS, generatedInvoicesSql } from './generated-invoices.js';
export { testClients } from './test-clients.js';
