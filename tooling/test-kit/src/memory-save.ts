import * as tf from '@tensorflow/tfjs-core';

/**
 * A tfjs save handler that keeps the artifacts it is given, for save/load round
 * trips without files: `saved()` returns them (and throws before anything was saved).
 * Load them back with `tf.io.fromMemory(sink.saved())`.
 */
export function memorySink(): { handler: tf.io.IOHandler; saved(): tf.io.ModelArtifacts } {
  let artifacts: tf.io.ModelArtifacts | undefined;
  return {
    handler: tf.io.withSaveHandler(async (given) => {
      artifacts = given;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    saved() {
      if (artifacts === undefined) throw new Error('memorySink: nothing was saved');
      return artifacts;
    },
  };
}
