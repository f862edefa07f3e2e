export { type CertificateFailure, type CommitCertificate, findForkCulprits, type ForkCulprit, NotAForkError, type NotAForkReason } from './accountability.js';
