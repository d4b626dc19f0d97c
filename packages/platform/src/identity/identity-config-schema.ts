import { z } from 'zod';

/** The `identity:` section of kimi.config.yaml. */
export const identityConfigSchema = z
  .object({
    /** Where people reach the platform; invitation links start with it. */
    public_url: z.url({ protocol: /^https?$/ }).default('http://localhost:8080'),
    invitations: z
      .object({
        /** How long an invitation can be accepted. */
        ttl_hours: z.number().int().min(1).max(720).default(72),
        /** Receives every new invitation (JSON, POST) so it can be mailed; none by default. */
        webhook_url: z
          .url({ protocol: /^https?$/ })
          .nullable()
          .default(null),
      })
      .strict()
      .default({ ttl_hours: 72, webhook_url: null }),
  })
  .strict()
  .default({ public_url: 'http://localhost:8080', invitations: { ttl_hours: 72, webhook_url: null } });

export type IdentityConfig = z.output<typeof identityConfigSchema>;
