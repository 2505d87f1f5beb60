/** Reading articles from Markdown files with YAML front matter, and importing folders of them into a tenant. */
package org.civicbot.knowledge.imports;
