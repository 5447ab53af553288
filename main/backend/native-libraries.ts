import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the doctor looks for the shared libraries a GPU backend needs (without loading them): the loader's search
 * path (LD_LIBRARY_PATH on Linux, DYLD_LIBRARY_PATH on macOS, PATH on Windows), CUDA's usual install folders, and the
 * system's library folders.
 */
export function librarySearchPath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string[] {
  const fromEnv = (name: string) => (env[name] ?? '').split(path.delimiter).filter(Boolean);
  if (platform === 'win32') {
    const cuda = env.CUDA_PATH ? [path.join(env.CUDA_PATH, 'bin')] : [];
    return [...fromEnv('PATH'), ...cuda, 'C:\\Windows\\System32'];
  }
  if (platform === 'darwin') return [...fromEnv('DYLD_LIBRARY_PATH'), '/usr/local/lib', '/opt/homebrew/lib', '/usr/lib'];
  const cuda = ['/usr/local/cuda/lib64', '/usr/local/cuda-11.2/lib64', ...(env.CUDA_HOME ? [path.join(env.CUDA_HOME, 'lib64')] : [])];
  return [
    ...fromEnv('LD_LIBRARY_PATH'),
    ...cuda,
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/lib/x86_64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/lib',
  ];
}

/** The first folder of `dirs` holding a file named `file`, as its full path; null if none. */
export function findLibrary(file: string, dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    const p = path.join(dir, file);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

/**
 * The libraries `@tensorflow/tfjs-node-gpu` 4.22 loads (libtensorflow 2.9 built for CUDA 11.2 and cuDNN 8.1), by
 * platform: the driver's, the CUDA runtime's and cuDNN's.
 */
export function cudaLibraries(platform = process.platform): string[] {
  if (platform === 'win32') return ['nvcuda.dll', 'cudart64_110.dll', 'cublas64_11.dll', 'cudnn64_8.dll'];
  return [
    'libcuda.so.1',
    'libcudart.so.11.0',
    'libcublas.so.11',
    'libcublasLt.so.11',
    'libcufft.so.10',
    'libcusolver.so.11',
    'libcudnn.so.8',
  ];
}

/** The Vulkan loader Dawn opens on Linux (Metal on macOS and D3D12 on Windows are part of the system). */
export function vulkanLoader(platform = process.platform): string | null {
  return platform === 'linux' ? 'libvulkan.so.1' : platform === 'win32' ? 'vulkan-1.dll' : null;
}
