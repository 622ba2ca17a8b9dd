// The same single GET as kube-get.js, made with @kubernetes/client-node (the
// library opm's kube package uses): KubeConfig from $KUBECONFIG, CoreV1Api.
// Shows what loading the library costs a Node CLI before any opm code runs.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

const kc = new KubeConfig();
kc.loadFromDefault();
const [, , namespace, labelSelector] = process.argv;
const list = await kc.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace, labelSelector });
console.log(`${list.items.length} items`);
