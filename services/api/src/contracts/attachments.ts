/**
 * Contracts of attachments (附件): uploads are `multipart/form-data` with one part `file` (the
 * bytes; its type is detected from the content, not from the name or the part's Content-Type);
 * downloads answer the file's own type.
 */
import { z } from 'zod';
import { optionalQuery, timestamp, uuid } from './common';

/** The multipart form of an upload: one file in the part named `file`. */
export const attachmentUpload = z.object({
  file: z.string().meta({
    format: 'binary',
    description:
      '图片（JPG/PNG/WebP/GIF）、PDF、Word（doc/docx）、Excel（xls/xlsx）、WPS（wps/et）；类型按内容识别 / the file; its type is detected from its content',
  }),
});
/** The constituent's photo: images only. */
export const messagePhotoUpload = z.object({
  file: z.string().meta({ format: 'binary', description: '照片（JPG/PNG/WebP/GIF） / a photo' }),
});

export const attachmentView = z
  .object({
    id: uuid,
    /** suggestion | contact | reply (a reply or a co-handler's opinion) | message */
    ownerType: z.enum(['suggestion', 'contact', 'reply', 'message']),
    ownerId: uuid,
    unitId: uuid.nullable(),
    unitName: z.string().nullable(),
    fileName: z.string(),
    mediaType: z.string(),
    sizeBytes: z.number().int(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    isImage: z.boolean(),
    url: z.string(),
    thumbnailUrl: z.string().nullable(),
    uploadedByName: z.string().nullable(),
    createdAt: timestamp,
    /** In an item's list: whether the caller may delete it now (uploader or admin, record still open). */
    canDelete: z.boolean().optional(),
  })
  .meta({ id: 'Attachment' });
export type AttachmentView = z.infer<typeof attachmentView>;

export const attachmentList = z.object({ items: z.array(attachmentView) });

export const messagePhotoResult = z.object({
  fileName: z.string(),
  sizeBytes: z.number().int(),
  mediaType: z.string(),
});

export const contactAttachmentParams = z.object({ id: uuid, contactId: uuid });
export const replyAttachmentParams = z.object({ id: uuid, replyId: uuid });

/** GET /api/attachments/:id: `?download=true` asks for a download (Content-Disposition: attachment) even for an image or PDF. */
export const attachmentQuery = z.object({
  download: optionalQuery(z.enum(['true', 'false'])),
});
