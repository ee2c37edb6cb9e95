/** The Dockerode client options that reach one `Endpoint` (unix socket, tcp with TLS, ssh through the system ssh). */
import type * as http from 'node:http';
import * as https from 'node:https';
import type Dockerode from 'dockerode';
import type { Endpoint } from './endpoint';

/**
 * Options for `new Dockerode(...)` that reach exactly this endpoint. Every connection key is set
 * (undefined where unused) because docker-modem merges its own DOCKER_HOST-derived defaults underneath.
 */
export function dockerodeOptions(
  endpoint: Endpoint,
  readFileBytes?: (p: string) => Buffer,
  extras: {
    /** For ssh:// hosts: the agent whose connections are `ssh … docker system dial-stdio` (sshTransport.ts). */
    sshAgent?: http.Agent;
  } = {},
): Dockerode.DockerOptions {
  const base: Dockerode.DockerOptions & Record<string, unknown> = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    protocol: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    username: undefined,
  };
  switch (endpoint.kind) {
    case 'kubernetes':
      // Never opened: a Kubernetes host has its own engine (core/kube), not dockerode.
      return { ...base, socketPath: '/gpu-containers/not-a-docker-engine.sock' };
    case 'unix':
    case 'npipe':
      return { ...base, socketPath: endpoint.socketPath };
    case 'ssh':
      // Plain HTTP over the system ssh's dial-stdio: docker-modem's own ssh2 client is never used.
      // The socketPath is never opened (the agent makes every connection). It is set because VS Code's proxy
      // support patches node's http and replaces the agent of any request without a socketPath (the request
      // then looks up the host name "docker": ENOTFOUND); requests with one are left alone.
      // (docker-modem uses a socketPath only when no host is set.)
      return {
        ...base,
        protocol: 'http',
        socketPath: '/gpu-containers/ssh-dial-stdio',
        agent: extras.sshAgent,
      } as Dockerode.DockerOptions;
    case 'tcp': {
      const u = new URL(endpoint.host);
      const opts: Dockerode.DockerOptions & Record<string, unknown> = {
        ...base,
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port,
        protocol: endpoint.tls ? 'https' : 'http',
      };
      const tls = endpoint.tls;
      if (tls && readFileBytes) {
        const read = (p: string | undefined): Buffer | undefined => {
          if (!p) return undefined;
          try {
            return readFileBytes(p);
          } catch {
            return undefined;
          }
        };
        opts.ca = read(tls.caPath);
        opts.cert = read(tls.certPath);
        opts.key = read(tls.keyPath);
      }
      if (tls && !tls.verify) {
        // docker-modem does not forward rejectUnauthorized; an agent carries it (and the client certs).
        const agentOptions: https.AgentOptions = {
          rejectUnauthorized: false,
          ca: opts.ca,
          cert: opts.cert,
          key: opts.key,
        };
        opts.agent = new https.Agent(agentOptions);
      }
      return opts;
    }
  }
}
