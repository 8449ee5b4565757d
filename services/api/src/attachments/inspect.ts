/**
 * What an uploaded file really is (附件检查): the type is detected from the content (`file-type`,
 * magic numbers and, for Office files, the zip's parts), never from the name or the browser's
 * Content-Type, and must be on the allowlist: images (JPEG, PNG, WebP, GIF), PDF, Word and Excel
 * (docx/xlsx, and the older doc/xls/WPS files, which are OLE compound files: then the name's
 * extension must be one of those). Photos are re-encoded with `sharp`: turned upright by their EXIF
 * orientation and written without any metadata, so location (EXIF GPS), camera and time never leave
 * with them; a thumbnail (at most 320 px) is made of every image.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';

export type AttachmentKind = 'image' | 'pdf' | 'document';

export interface InspectedFile {
  mediaType: string;
  ext: string;
  kind: AttachmentKind;
  /** What is stored: the re-encoded image (metadata stripped), else the bytes as uploaded. */
  body: Buffer;
  thumbnail: Buffer | null;
  width: number | null;
  height: number | null;
  /** SHA-256 of the bytes as uploaded (a retried upload of the same file is the same attachment). */
  sha256: string;
}

export class RefusedFile extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const IMAGES: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
};
const DOCUMENTS: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
/** OLE compound files: the detected type says only "cfb"; the name's extension says which. */
const LEGACY: Record<string, string> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  wps: 'application/vnd.ms-works', // WPS 文字
  et: 'application/vnd.ms-excel', // WPS 表格
};

export const ALLOWED_TYPES_TEXT =
  'JPG、PNG、WebP、GIF 图片，PDF，Word（doc/docx）、Excel（xls/xlsx）、WPS（wps/et）';
export const ALLOWED_TYPES_EN =
  'JPG, PNG, WebP or GIF images, PDF, Word (doc/docx), Excel (xls/xlsx), WPS (wps/et)';

const THUMB_PX = 320;

export async function inspectFile(
  bytes: Buffer,
  fileName: string,
  opts: { imagesOnly?: boolean } = {},
): Promise<InspectedFile> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length === 0) throw new RefusedFile('文件为空', 'the file is empty');
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(bytes);
  const nameExt = (/\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1] ?? '').toLowerCase();
  const refuse = () =>
    new RefusedFile(
      `文件类型不允许${detected ? `（实际为 ${detected.ext}）` : ''}：${opts.imagesOnly ? '只能上传 JPG、PNG、WebP、GIF 图片' : `只能上传 ${ALLOWED_TYPES_TEXT}`}`,
      `file type not allowed${detected ? ` (the content is ${detected.ext})` : ''}: ${opts.imagesOnly ? 'JPG, PNG, WebP or GIF images only' : ALLOWED_TYPES_EN}`,
    );
  if (!detected) throw refuse();

  const imageType = IMAGES[detected.ext];
  if (imageType) {
    try {
      // rotate(): upright by the EXIF orientation; sharp writes no metadata unless asked (withMetadata).
      const img = sharp(bytes, { animated: detected.ext === 'gif' || detected.ext === 'webp' }).rotate();
      const encoded =
        detected.ext === 'jpg'
          ? img.jpeg({ quality: 90, mozjpeg: true })
          : detected.ext === 'png'
            ? img.png()
            : detected.ext === 'webp'
              ? img.webp({ quality: 90 })
              : img.gif();
      const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
      const thumbnail = await sharp(data, { animated: false })
        .resize({ width: THUMB_PX, height: THUMB_PX, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 80 })
        .toBuffer();
      return {
        mediaType: imageType,
        ext: detected.ext,
        kind: 'image',
        body: data,
        thumbnail,
        width: info.width,
        height: info.pageHeight ?? info.height,
        sha256,
      };
    } catch {
      throw new RefusedFile('图片无法读取（文件已损坏？）', 'the image cannot be read (damaged file?)');
    }
  }
  if (opts.imagesOnly) throw refuse();
  const docType = DOCUMENTS[detected.ext];
  if (docType)
    return {
      mediaType: docType,
      ext: detected.ext,
      kind: detected.ext === 'pdf' ? 'pdf' : 'document',
      body: bytes,
      thumbnail: null,
      width: null,
      height: null,
      sha256,
    };
  if (detected.ext === 'cfb' && LEGACY[nameExt])
    return {
      mediaType: LEGACY[nameExt],
      ext: nameExt,
      kind: 'document',
      body: bytes,
      thumbnail: null,
      width: null,
      height: null,
      sha256,
    };
  throw refuse();
}
