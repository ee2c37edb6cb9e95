/** Where the rig's cluster is (scripts/rig/k8s.sh writes k8s.env), and why a kube engine suite skips without it. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const cache = process.env.GPU_CONTAINERS_DEV_CACHE || path.join(os.homedir(), '.cache', 'gpu-containers-dev');
const envFile = path.join(cache, 'k8s.env');

export const kubeconfig =
  process.env.GPU_CONTAINERS_TEST_KUBECONFIG ||
  (fs.existsSync(envFile)
    ? /^GPU_CONTAINERS_TEST_KUBECONFIG=(.+)$/m.exec(fs.readFileSync(envFile, 'utf8'))?.[1]?.trim()
    : undefined);

export const skip =
  (!kubeconfig || !fs.existsSync(kubeconfig)) && `no Kubernetes rig (${envFile}): run bash scripts/rig/k8s.sh`;
