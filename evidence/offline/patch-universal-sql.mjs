#!/usr/bin/env node
// Make Evidence's query engine work without internet access, in a scratch copy of node_modules.
//
// Evidence (universal-sql 3.0.1) reads its Parquet data files with DuckDB-Wasm's read_parquet, and
// DuckDB-Wasm downloads DuckDB's Parquet extension the first time read_parquet runs: offline, that
// request never returns and `npm run sources` / `npm run build` hang. No package registry ships the
// extension. parquet-wasm, which Evidence already depends on (it writes those files), can read them,
// and DuckDB-Wasm ingests Arrow natively, so this patch swaps three read_parquet uses for
// "decode with parquet-wasm, insert the Arrow data as a table":
//
//   1. src/build-parquet.js (npm run sources): merging a query's batch files into one Parquet file;
//   2. src/client-duckdb/node.js (npm run build, prerendering): exposing each file as a table;
//   3. src/client-duckdb/browser.js (the built site in a browser): the same, after fetching the file.
//
// Data, queries and pages are unchanged; only where the bytes are decoded moves. Each replacement is
// anchored on the exact text of universal-sql 3.0.1 and the script stops if any anchor is missing
// (another Evidence version), so it never half-applies. Patched files are written as new files and
// renamed into place: a node_modules made of hard links to the project's copy (cp -al) gets new
// inodes for these three files and the project's own node_modules stays untouched.
//
// usage: node patch-universal-sql.mjs <node_modules directory>

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MARKER = 'scorecard-offline-patch';
const EXPECTED_VERSION = '3.0.1';

const patches = {
	'src/build-parquet.js': [
		{
			anchor: "\tTimestampMillisecond\n} from 'apache-arrow';",
			replacement: "\tTimestampMillisecond,\n\ttableFromIPC\n} from 'apache-arrow';"
		},
		{
			anchor: "\tTable\n} from 'parquet-wasm/node/arrow1.js';",
			replacement: "\tTable,\n\treadParquet\n} from 'parquet-wasm/node/arrow1.js';"
		},
		{
			anchor: [
				"\tconst select = `SELECT * FROM read_parquet([${parquetFiles.join(',')}])`;",
				"\tconst copy = `COPY (${select}) TO '${outputFilepath}' (FORMAT 'PARQUET', CODEC 'ZSTD', USE_TMP_FILE false);`;",
				'',
				'\tawait fs.mkdir(path.dirname(outputFilepath), { recursive: true });',
				'\tawait query(copy);'
			].join('\n'),
			replacement: [
				`\t// ${MARKER}: merge the batch files with parquet-wasm, not DuckDB-Wasm's read_parquet.`,
				'\tvoid parquetFiles;',
				'\tawait fs.mkdir(path.dirname(outputFilepath), { recursive: true });',
				'\tconst offlineTables = [];',
				'\tfor (const filename of tmpFilenames) {',
				'\t\tconst bytes = new Uint8Array(await fs.readFile(filename));',
				'\t\tofflineTables.push(tableFromIPC(readParquet(bytes).intoIPCStream()));',
				'\t}',
				'\tconst offlineMerged = offlineTables[0].concat(...offlineTables.slice(1));',
				'\tconst offlineProperties = new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build();',
				'\tconst offlineParquet = writeParquet(',
				"\t\tTable.fromIPCStream(tableToIPC(offlineMerged, 'stream')),",
				'\t\tofflineProperties',
				'\t);',
				'\tawait fs.writeFile(outputFilepath, offlineParquet);'
			].join('\n')
		}
	],
	'src/client-duckdb/node.js': [
		{
			anchor: "import { createRequire } from 'module';",
			replacement: [
				"import { createRequire } from 'module';",
				"import { readFileSync } from 'fs';",
				"import { readParquet } from 'parquet-wasm/node/arrow1.js';"
			].join('\n')
		},
		{
			anchor: [
				'\t\t\tdb.registerFileURL(',
				'\t\t\t\tfile_name,',
				'\t\t\t\turl.split(pathDelimiterRegex).join(path.sep),',
				'\t\t\t\tDuckDBDataProtocol.NODE_FS,',
				'\t\t\t\tfalse',
				'\t\t\t);',
				'\t\t\tconnection.query(',
				"\t\t\t\t`CREATE OR REPLACE VIEW \"${source}\".\"${table}\" AS (SELECT * FROM read_parquet('${file_name}'));`",
				'\t\t\t);'
			].join('\n'),
			replacement: [
				`\t\t\t// ${MARKER}: decode with parquet-wasm and insert a table, instead of a view over`,
				"\t\t\t// read_parquet (DuckDB-Wasm's Parquet extension is downloaded at run time).",
				'\t\t\tconst bytes = new Uint8Array(readFileSync(url.split(pathDelimiterRegex).join(path.sep)));',
				'\t\t\tconst ipc = readParquet(bytes).intoIPCStream();',
				'\t\t\tconnection.query(`DROP TABLE IF EXISTS "${source}"."${table}";`);',
				'\t\t\tconnection.insertArrowFromIPCStream(ipc, { schema: source, name: table, create: true });'
			].join('\n')
		}
	],
	'src/client-duckdb/browser.js': [
		{
			anchor: "export { tableFromIPC } from 'apache-arrow';",
			replacement: [
				"export { tableFromIPC } from 'apache-arrow';",
				"import initOfflineParquet, { readParquet } from 'parquet-wasm/esm/arrow1.js';",
				"import offlineParquetWasm from 'parquet-wasm/esm/arrow1_bg.wasm?url';",
				'',
				'/** @type {Promise<unknown> | undefined} */',
				'let offlineParquetInit;',
				'const offlineParquetReady = () => (offlineParquetInit ??= initOfflineParquet(offlineParquetWasm));'
			].join('\n')
		},
		{
			anchor: [
				'\t\t\t\tawait db.registerFileURL(file_name, addBasePath(path), DuckDBDataProtocol.HTTP, false);',
				'\t\t\t\tawait connection.query(',
				"\t\t\t\t\t`CREATE OR REPLACE VIEW \"${source}\".\"${table}\" AS (SELECT * FROM read_parquet('${file_name}'));`",
				'\t\t\t\t);'
			].join('\n'),
			replacement: [
				`\t\t\t\t// ${MARKER}: fetch the file, decode it with parquet-wasm and insert a table.`,
				'\t\t\t\tawait offlineParquetReady();',
				'\t\t\t\tconst response = await fetch(addBasePath(path));',
				'\t\t\t\tif (!response.ok) throw new Error(`Could not fetch ${path}: HTTP ${response.status}`);',
				'\t\t\t\tconst ipc = readParquet(new Uint8Array(await response.arrayBuffer())).intoIPCStream();',
				'\t\t\t\tawait connection.query(`DROP TABLE IF EXISTS "${source}"."${table}";`);',
				'\t\t\t\tawait connection.insertArrowFromIPCStream(ipc, { schema: source, name: table, create: true });'
			].join('\n')
		}
	]
};

function fail(message) {
	console.error(`patch-universal-sql: ${message}`);
	process.exit(1);
}

const nodeModules = process.argv[2];
if (!nodeModules) fail('usage: node patch-universal-sql.mjs <node_modules directory>');
const root = path.join(nodeModules, '@evidence-dev', 'universal-sql');
const manifestPath = path.join(root, 'package.json');
if (!existsSync(manifestPath)) fail(`${manifestPath} not found: run npm install first`);
const { version } = JSON.parse(readFileSync(manifestPath, 'utf8'));
if (version !== EXPECTED_VERSION) {
	fail(`@evidence-dev/universal-sql is ${version}; this patch is written for ${EXPECTED_VERSION}`);
}

// Check every anchor before writing anything, so a mismatch leaves every file as it was.
const patched = {};
for (const [file, replacements] of Object.entries(patches)) {
	const target = path.join(root, file);
	let text = readFileSync(target, 'utf8');
	if (text.includes(MARKER)) {
		console.log(`already patched: ${file}`);
		continue;
	}
	for (const { anchor, replacement } of replacements) {
		const count = text.split(anchor).length - 1;
		if (count !== 1) fail(`${file}: expected the anchor once, found it ${count} times:\n${anchor}`);
		text = text.replace(anchor, () => replacement);
	}
	patched[target] = text;
}
for (const [target, text] of Object.entries(patched)) {
	const temporary = `${target}.${process.pid}.tmp`;
	writeFileSync(temporary, text);
	renameSync(temporary, target);
	console.log(`patched: ${path.relative(root, target)}`);
}
