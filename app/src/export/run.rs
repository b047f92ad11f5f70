//! Running an export: into a channel that an HTTP response body reads (bounded, so a slow client
//! slows the query down instead of filling memory), or into a file for `mitreden export`.

use std::future::Future;
use std::path::{Path, PathBuf};

use super::encode::{Encoder, Value};
use super::rows::{self, ExportError, RowSink, Scope};
use super::{Format, Request};
use crate::db::Db;

/// Where encoded bytes go.
pub trait ChunkSink: Send {
    fn chunk(&mut self, bytes: Vec<u8>) -> impl Future<Output = Result<(), ExportError>> + Send;
}

/// The sending half of a download's body.
pub type BodySender = tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>;
/// The receiving half: the server crate turns it into the response body.
pub type BodyReceiver = tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>;

impl ChunkSink for BodySender {
    async fn chunk(&mut self, bytes: Vec<u8>) -> Result<(), ExportError> {
        self.send(Ok(bytes)).await.map_err(|_| ExportError::Gone)
    }
}

/// A file (or standard output) written through tokio.
pub struct Writer<W>(pub W);

impl<W: tokio::io::AsyncWrite + Unpin + Send> ChunkSink for Writer<W> {
    async fn chunk(&mut self, bytes: Vec<u8>) -> Result<(), ExportError> {
        use tokio::io::AsyncWriteExt;
        self.0.write_all(&bytes).await?;
        Ok(())
    }
}

struct Encoding<'a, C> {
    encoder: Encoder,
    out: &'a mut C,
}

impl<C: ChunkSink> RowSink for Encoding<'_, C> {
    async fn row(&mut self, values: Vec<Value>) -> Result<(), ExportError> {
        self.encoder.row(&values);
        if let Some(bytes) = self.encoder.take_full() {
            self.out.chunk(bytes).await?;
        }
        Ok(())
    }
}

/// What an export needs besides the database.
#[derive(Clone, Debug)]
pub struct Job {
    pub scope: Scope,
    pub request: Request,
    /// The consultation's area (GeoJSON geometry, '' for none).
    pub area: String,
    /// The data directory (XLSX is built in its `tmp/`).
    pub data_dir: PathBuf,
}

/// Writes the export into `out`; returns the number of rows.
pub async fn to_sink<C: ChunkSink>(db: &Db, job: &Job, out: &mut C) -> Result<u64, ExportError> {
    let request = job.request;
    let Some(kind) = request.format.kind_of(request.kind) else {
        // XLSX: built in a file, then sent on.
        let tmp = job.data_dir.join("tmp");
        tokio::fs::create_dir_all(&tmp).await?;
        let path = tmp.join(format!("export-{}.xlsx", crate::secret::random_token()));
        let result = async {
            let n = super::xlsx::write(db, &job.scope, &tmp, &path).await?;
            copy_file(&path, out).await?;
            Ok(n)
        }
        .await;
        let _ = tokio::fs::remove_file(&path).await;
        return result;
    };
    let area = (request.format == Format::Geojson).then_some(job.area.as_str());
    let encoder = Encoder::new(
        request.format,
        request.separator,
        rows::columns(kind, job.scope.personal),
        area,
    );
    let mut encoding = Encoding { encoder, out };
    let n = rows::stream(db, &job.scope, kind, &mut encoding).await?;
    let Encoding { encoder, out } = encoding;
    out.chunk(encoder.finish()).await?;
    Ok(n)
}

async fn copy_file<C: ChunkSink>(path: &Path, out: &mut C) -> Result<(), ExportError> {
    use tokio::io::AsyncReadExt;
    let mut file = tokio::fs::File::open(path).await?;
    loop {
        let mut buf = vec![0u8; super::encode::CHUNK];
        let n = file.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        buf.truncate(n);
        out.chunk(buf).await?;
    }
}

/// Starts the export in a task of its own and gives back the body it writes (four chunks of
/// 64 KiB in flight at most). An error after the first bytes ends the body with an error, so
/// the client sees a broken download rather than a short file.
pub fn spawn(db: Db, job: Job) -> BodyReceiver {
    let (mut tx, rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        match to_sink(&db, &job, &mut tx).await {
            Ok(rows) => tracing::info!(
                consultation_id = job.scope.consultation_id,
                rows,
                "export sent"
            ),
            Err(ExportError::Gone) => tracing::info!(
                consultation_id = job.scope.consultation_id,
                "export cancelled by the client"
            ),
            Err(error) => {
                tracing::error!(consultation_id = job.scope.consultation_id, %error, "export failed");
                let _ = tx
                    .send(Err(std::io::Error::other("the export failed")))
                    .await;
            }
        }
    });
    rx
}
