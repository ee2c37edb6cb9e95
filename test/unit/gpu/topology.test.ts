import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupScore, linkScore, parseLink, parseTopology } from '../../../src/core/gpu/topology';
import { fixture } from './fixtures';

const NVLINK4 = [
  '\tGPU0\tGPU1\tGPU2\tGPU3\tCPU Affinity\tNUMA Affinity',
  'GPU0\t X \tNV4\tSYS\tSYS\t0-15\t0',
  'GPU1\tNV4\t X \tSYS\tSYS\t0-15\t0',
  'GPU2\tSYS\tSYS\t X \tNV4\t16-31\t1',
  'GPU3\tSYS\tSYS\tNV4\t X \t16-31\t1',
  '',
  'Legend:',
  '  X    = Self',
].join('\n');

void describe('nvidia-smi topo -m', () => {
  void test('the 8-GPU PCIe fixture: switches pair 0-1, 2-3, 4-5, 6-7; NUMA nodes split 0-3 / 4-7', () => {
    const topo = parseTopology(fixture('synthetic/topo-m-8-pcie.txt'));
    assert.deepEqual(topo.gpus, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(topo.links.get(0)?.get(1)?.kind, 'PIX');
    assert.equal(topo.links.get(0)?.get(2)?.kind, 'NODE');
    assert.equal(topo.links.get(3)?.get(4)?.kind, 'SYS');
    assert.equal(topo.links.get(6)?.get(6)?.kind, 'self');
    assert.equal(topo.links.get(0)?.size, 8, 'the NIC column is not a GPU');
  });
  void test('NVLink bonds parse with their link count and rank above PCIe', () => {
    const topo = parseTopology(NVLINK4);
    assert.deepEqual(topo.links.get(0)?.get(1), { kind: 'nvlink', nvlinks: 4, text: 'NV4' });
    assert.ok(linkScore(parseLink('NV4')) > linkScore(parseLink('PIX')));
    assert.ok(linkScore(parseLink('PIX')) > linkScore(parseLink('PXB')));
    assert.ok(linkScore(parseLink('NODE')) > linkScore(parseLink('SYS')));
    assert.ok(groupScore([0, 1], topo) > groupScore([1, 2], topo));
  });
  void test('colour codes, SOC and junk', () => {
    const coloured = NVLINK4.replace(/NV4/g, '\x1b[32mNV4\x1b[0m');
    assert.equal(parseTopology(coloured).links.get(2)?.get(3)?.kind, 'nvlink');
    assert.equal(parseLink('SOC').kind, 'SYS');
    assert.equal(parseLink('??').kind, 'unknown');
    for (const junk of [undefined, 42, '', 'nvidia-smi: command not found', 'GPU0 X'])
      assert.deepEqual(parseTopology(junk).gpus, []);
    assert.equal(groupScore([0, 1], undefined), 0);
  });
});
