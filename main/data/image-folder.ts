import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatBytes, memoryLimitBytes, memoryLimitSource } from '../util/memory-limit';
import { readPng, readPngHeader, type PngHeader } from './png';
import type { Samples } from './samples';
import { DataFileError } from './data-file-error';

/**
 * The ImageFolder convention (as torchvision's): `root/<class>/<image>.png`, one sub-folder per class, classes sorted
 * by name and numbered from 0. Every image must have the same height and width. Grey images (R = G = B) load with one
 * channel; if the folder mixes grey and colour images, the grey ones are widened to three equal channels.
 * Hidden entries (names starting with '.') are ignored; any other non-PNG file is an error. readPngFolder also takes
 * the flat layout (the PNGs themselves, unlabelled), under the same checks.
 */

export interface ImageFolderData {
  samples: Samples & { labels: Int32Array };
  shape: [number, number, number];
  classNames: string[];
  /** The file behind each row, in row order. */
  files: string[];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function listVisible(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => !name.startsWith('.'))
      .sort();
  } catch (err) {
    throw new DataFileError('file', folder, `cannot read image folder ${folder}: ${(err as Error).message}`, { cause: err });
  }
}

/** List the class folders and their PNG files, checking the layout; no image is decoded. */
export function listImageFolder(root: string): { classNames: string[]; files: string[]; labels: number[] } {
  if (!isDirectory(root)) throw new DataFileError('file', root, `image folder ${root} does not exist or is not a folder`);
  const entries = listVisible(root);
  const classNames = entries.filter((name) => isDirectory(join(root, name)));
  if (classNames.length === 0) {
    throw new DataFileError(
      'file',
      root,
      `image folder ${root} has no class sub-folders; expected ${root}/<class name>/<image>.png` +
        (entries.length > 0 ? ` (found only files, e.g. ${entries[0]})` : ' (the folder is empty)'),
    );
  }
  const files: string[] = [];
  const labels: number[] = [];
  classNames.forEach((cls, label) => {
    const folder = join(root, cls);
    const names = listVisible(folder);
    let count = 0;
    for (const name of names) {
      const path = join(folder, name);
      if (isDirectory(path)) continue; // nested folders are not part of the convention; skip them
      if (!name.toLowerCase().endsWith('.png')) {
        throw new DataFileError('file', path, `image folder file ${path} is not a PNG image (only .png files are supported)`);
      }
      files.push(path);
      labels.push(label);
      count++;
    }
    if (count === 0) throw new DataFileError('file', folder, `class folder ${folder} of image folder ${root} holds no PNG images`);
  });
  return { classNames, files, labels };
}

/**
 * Every image's size from its PNG header, before any is decoded: an image over the size limit, images of different
 * sizes, or a folder whose pixels would not fit in the memory limit are refused, naming the file (or the folder).
 */
export function checkImageFolderHeaders(root: string, files: string[]): { height: number; width: number; channels: number } {
  let first: PngHeader | null = null;
  let channels = 1;
  for (let i = 0; i < files.length; i++) {
    const h = readPngHeader(files[i]);
    if (!first) first = h;
    else if (h.width !== first.width || h.height !== first.height) {
      throw new DataFileError(
        'shape',
        files[i],
        `image ${files[i]} is ${h.width}×${h.height} (width × height) but ${files[0]} is ${first.width}×${first.height}; ` +
          `all images of an image folder must have the same size`,
      );
    }
    channels = Math.max(channels, h.channels);
  }
  const { width, height } = first!;
  const bytes = files.length * width * height * channels * 4 * 2; // the decoded images and the samples matrix
  const limit = memoryLimitBytes();
  if (bytes > limit) {
    throw new DataFileError(
      'size',
      root,
      `image folder ${root} holds ${files.length} images of ${width}×${height}×${channels}, which need about ` +
        `${formatBytes(bytes)} in memory, more than the ${formatBytes(limit)} allowed (${memoryLimitSource()})`,
    );
  }
  return { height, width, channels };
}

/** Read a whole image folder into memory. */
export function readImageFolder(root: string): ImageFolderData {
  const { classNames, files, labels } = listImageFolder(root);
  const { x, shape } = decodeImages(root, files);
  return { samples: { x, n: files.length, dim: x.length / files.length, labels: Int32Array.from(labels) }, shape, classNames, files };
}

/**
 * A folder of PNG images in either layout: class sub-folders (read as readImageFolder reads them, with labels), or
 * the PNG files themselves, unlabelled (hidden entries ignored, any other file refused), under the same checks.
 */
export function readPngFolder(root: string): { samples: Samples; shape: [number, number, number]; classNames?: string[] } {
  if (!isDirectory(root)) throw new DataFileError('file', root, `image folder ${root} does not exist or is not a folder`);
  const entries = listVisible(root);
  if (entries.some((name) => isDirectory(join(root, name)))) return readImageFolder(root);
  if (entries.length === 0) {
    throw new DataFileError('file', root, `image folder ${root} is empty; expected PNG images, or one sub-folder of them per class`);
  }
  const files = entries.map((name) => {
    const path = join(root, name);
    if (!name.toLowerCase().endsWith('.png')) {
      throw new DataFileError('file', path, `image folder file ${path} is not a PNG image (only .png files are supported)`);
    }
    return path;
  });
  const { x, shape } = decodeImages(root, files);
  return { samples: { x, n: files.length, dim: x.length / files.length }, shape };
}

/**
 * Decode the images of a folder into one row each (headers checked first, as checkImageFolderHeaders does); grey
 * images are widened to three equal channels when the folder holds colour ones too.
 */
function decodeImages(root: string, files: string[]): { x: Float32Array; shape: [number, number, number] } {
  checkImageFolderHeaders(root, files);
  const images: Float32Array[] = [];
  let h = 0;
  let w = 0;
  let anyColour = false;
  for (let i = 0; i < files.length; i++) {
    const img = readPng(files[i]);
    const [ih, iw, ic] = img.shape;
    if (i === 0) {
      h = ih;
      w = iw;
    } else if (ih !== h || iw !== w) {
      throw new DataFileError(
        'shape',
        files[i],
        `image ${files[i]} is ${iw}×${ih} (width × height) but ${files[0]} is ${w}×${h}; ` +
          `all images of an image folder must have the same size`,
      );
    }
    if (ic === 3) anyColour = true;
    images.push(img.data);
  }
  const c = anyColour ? 3 : 1;
  const pixels = h * w;
  const dim = pixels * c;
  const x = new Float32Array(files.length * dim);
  for (let i = 0; i < images.length; i++) {
    const img = images[i];
    if (img.length === dim) {
      x.set(img, i * dim);
    } else {
      // a grey image in a colour folder: repeat its one channel three times
      for (let p = 0, o = i * dim; p < pixels; p++, o += 3) x[o] = x[o + 1] = x[o + 2] = img[p];
    }
  }
  return { x, shape: [h, w, c] };
}
