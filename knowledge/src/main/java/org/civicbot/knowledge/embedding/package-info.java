/** Dense sentence embeddings through langchain4j's in-process (ONNX) models, with a cache and language support. */
package org.civicbot.knowledge.embedding;
