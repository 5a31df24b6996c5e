/** How the training losses encode their batch: data, whose gradient nobody reads. */
export const ENCODE_DATA = { inputGradient: false } as const;
