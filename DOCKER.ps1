<#
.SYNOPSIS
    Run the Student Management System with Docker Compose (Windows PowerShell 5.1 and PowerShell 7).
.DESCRIPTION
    Reads .env beside this script; the app's own code decides the database mode from it
    (python -m backend.config describe, run in the image). PostgreSQL mode is explicit:
    DATABASE_ENGINE=postgresql or a PostgreSQL DATABASE_URL.
    scripts/docker.sh is the Linux/macOS twin. Run .\DOCKER.ps1 -Help for the options.
#>
[CmdletBinding()]
param(
    [switch]$Start,
    [switch]$Stop,
    [switch]$Restart,
    [switch]$Status,
    [switch]$Logs,
    [switch]$Backup,
    [string]$Restore,
    [switch]$Migrate,
    [int]$BatchSize,
    [string[]]$Tables,
    [switch]$NoTruncate,
    [switch]$SkipMigrations,
    [switch]$DryRun,
    [switch]$KeepSourceWritable,
    [switch]$ForceLiveTarget,
    [string]$SourceEncoding,
    [switch]$Yes,
    [switch]$Install,
    [switch]$Force,
    [switch]$PgBouncer,
    [switch]$Help
)

Set-StrictMode -Version 2.0

$HelpText = @'
Usage: .\DOCKER.ps1 [-Start] | -Stop | -Restart | -Status | -Logs | -Backup | -Restore FILE|NAME
                    | -Migrate [options] | -Install [-Force] | -Help
       .\DOCKER.ps1 -Start | -Restart | -Stop | -Status  -PgBouncer

Runs the Student Management System with Docker Compose. The database mode comes from .env, read
by the app's own code (python -m backend.config describe, run in the image): PostgreSQL only
when DATABASE_ENGINE=postgresql or DATABASE_URL is a PostgreSQL URL, else SQLite.
The bundled db service runs only when PostgreSQL mode points at it (POSTGRES_HOST blank or db,
or a DATABASE_URL with host db); with any other host the app runs alone against that server.

  -Start            Build and start the app, and the bundled db service when .env uses it (default)
  -Stop             Stop and remove the containers (volumes and data are kept)
  -Restart          Stop, then start (picks up .env changes)
  -Status           Show the containers and the /health/ready result
  -Logs             Follow the app logs (the startup line shows the masked database URL)
  -Backup           Create a backup inside the app container
  -Restore FILE     Restore a backup: a file on this machine (its FILE.meta.json must be
                    beside it; both are copied into /app/backups) or the NAME of one there
  -Migrate          Copy the SQLite data into PostgreSQL, the bundled db or the external
                    server .env names (PostgreSQL mode only)
     -BatchSize N      rows per batch (--batch-size)
     -Tables A,B       only these tables (--tables)
     -NoTruncate       append instead of truncating the target (--no-truncate)
     -SkipMigrations   skip the Alembic upgrade of the target (--skip-migrations)
     -DryRun           check and count only, write nothing (--dry-run)
     -KeepSourceWritable  leave the SQLite file writable after the move (--keep-source-writable)
     -ForceLiveTarget  copy although other sessions use the target (--force-live-target)
     -SourceEncoding C read text that is not UTF-8 as encoding C, e.g. windows-1253
                       (--source-encoding)
  -Yes              Do not ask for confirmation (-Restore, -Migrate)
  -Install          Create .env from .env.example with random SECRET_KEY, POSTGRES_PASSWORD
                    and DEFAULT_ADMIN_PASSWORD (never printed)
  -Force            With -Install: replace an existing .env (a copy of it is kept)
  -PgBouncer        With -Start or -Restart: also start PgBouncer (transaction pooling) in
                    front of the bundled db and point the app at it (PostgreSQL mode, bundled
                    db only). With -Status: show the app's way in through PgBouncer and check
                    that PgBouncer accepts connections. -Stop stops PgBouncer with or without it
  -Help             Show this help
'@

$Root = $PSScriptRoot
$EnvFile = Join-Path $Root '.env'
if ($env:SMS_ENV_FILE) { $EnvFile = $env:SMS_ENV_FILE }
$EnvExample = Join-Path $Root '.env.example'
$ComposeFile = Join-Path $Root 'docker-compose.yml'
$OverrideFile = Join-Path $Root 'docker-compose.override.yml'
$ContainerSqlite = '/app/data/student_management.db'
$ContainerBackups = '/app/backups'
$HealthProbe = "import sys, urllib.request as u; sys.exit(0 if u.urlopen('http://127.0.0.1:8000/health/ready', timeout=5).status == 200 else 1)"
$PgPassthroughKeys = @('POSTGRES_HOST', 'POSTGRES_PORT', 'POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD',
    'POSTGRES_PGBOUNCER', 'POSTGRES_DIRECT_URL')
# -PgBouncer: docker-compose.yml's `pgbouncer` service, the port it listens on, and the bundled
# server behind it (its own POSTGRES_HOST and POSTGRES_PORT, fixed there).
$PgBouncerService = 'pgbouncer'
$PgBouncerPort = '6432'
$PgBouncerServer = 'db:5432'
$PgBouncerProbe = "exec 3<>/dev/tcp/127.0.0.1/$PgBouncerPort"
# Every profile: -Stop and -Status see every service, whichever options started it.
$AllProfiles = 'postgres,pgbouncer'
$ComposeEnvKeys = @('COMPOSE_PROFILES') + $PgPassthroughKeys
# The app's own reading of .env (backend/config_describe.py): the engine rules live there only.
$Describe = @('-m', 'backend.config', 'describe', '--compose', '--json')

function Fail([string]$Message, [int]$Code = 1) {
    $Host.UI.WriteErrorLine("ERROR: $Message")
    exit $Code
}

function Write-Success([string]$Message) {
    Write-Host $Message -ForegroundColor Green
}

function Read-DotEnv([string]$Path) {
    $values = @{}
    if (-not (Test-Path -LiteralPath $Path)) { return $values }
    foreach ($raw in Get-Content -LiteralPath $Path) {
        $line = $raw.Trim()
        if ($line -eq '' -or $line.StartsWith('#')) { continue }
        if ($line.StartsWith('export ')) { $line = $line.Substring(7).TrimStart() }
        $eq = $line.IndexOf('=')
        if ($eq -lt 1) { continue }
        $key = $line.Substring(0, $eq).Trim()
        if ($key -notmatch '^[A-Za-z_][A-Za-z0-9_]*$') { continue }
        $value = $line.Substring($eq + 1).Trim()
        if ($value.StartsWith('"') -or $value.StartsWith("'")) {
            $end = $value.IndexOf($value[0], 1)
            if ($end -gt 0) { $value = $value.Substring(1, $end - 1) } else { $value = $value.Substring(1) }
        }
        else {
            $value = ($value -replace '\s+#.*$', '').Trim()
        }
        $values[$key] = $value
    }
    return $values
}

function Get-EnvValue([hashtable]$Values, [string]$Key) {
    if ($Values.ContainsKey($Key) -and $null -ne $Values[$Key]) { return [string]$Values[$Key] }
    return ''
}

function Assert-PgPassword([hashtable]$Values) {
    if ((Get-EnvValue $Values 'POSTGRES_PASSWORD') -eq '') {
        Fail "POSTGRES_PASSWORD is empty in ${EnvFile}: the compose PostgreSQL server needs one (set it, or run .\DOCKER.ps1 -Install for a new .env)"
    }
}

# Runs a native command silently; $true when it exits 0. Stderr is discarded without turning
# into error records, which Windows PowerShell 5.1 would otherwise raise for native commands.
function Test-NativeCommand([string]$Exe, [string[]]$Arguments) {
    $previous = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        & $Exe @Arguments *> $null
        return ($LASTEXITCODE -eq 0)
    }
    catch { return $false }
    finally { $ErrorActionPreference = $previous }
}

function Assert-Docker {
    if (-not (Get-Command docker -ErrorAction SilentlyContinue)) {
        Fail "Docker is not installed: 'docker' was not found on PATH (install Docker Desktop)"
    }
    if (-not (Test-NativeCommand 'docker' @('info'))) {
        Fail "Docker is not running: 'docker info' failed (start Docker Desktop and try again)"
    }
    if (-not (Test-NativeCommand 'docker' @('compose', 'version'))) {
        Fail "Docker Compose v2 is missing: 'docker compose version' failed (update Docker Desktop)"
    }
}

# With -f, Compose no longer picks up docker-compose.override.yml by itself, so name it too.
function Get-ComposeBase {
    $base = @('compose', '--project-directory', $Root, '-f', $ComposeFile)
    if (Test-Path -LiteralPath $OverrideFile -PathType Leaf) { $base += @('-f', $OverrideFile) }
    return $base
}

# Output goes straight to the console; callers check $LASTEXITCODE.
function Invoke-Compose([string[]]$Arguments) {
    & docker @((Get-ComposeBase) + $Arguments)
}

function Test-Compose([string[]]$Arguments) {
    return (Test-NativeCommand 'docker' ((Get-ComposeBase) + $Arguments))
}

# The standard output of a compose command as one string ('' when it fails).
function Get-ComposeOutput([string[]]$Arguments) {
    $previous = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try { return ((& docker @((Get-ComposeBase) + $Arguments) 2> $null) -join "`n") }
    catch { return '' }
    finally { $ErrorActionPreference = $previous }
}

# The standard output of a compose command as one string; its errors go to the console.
function Get-ComposeStdout([string[]]$Arguments) {
    return ((& docker @((Get-ComposeBase) + $Arguments)) -join "`n")
}

# The database mode as the app's code reads .env, asked in the image: its warnings are shown,
# its error stops here. Bundled is $true when the server is the bundled `db` service; Label says
# which, for -Status; Environment holds the POSTGRES_* the app container gets. -Build rebuilds
# the image first (-Start), so the settings are read by the code that is about to run.
function Resolve-DatabaseMode([switch]$Build) {
    # The container must see .env alone, not the caller's POSTGRES_*, and no db service.
    foreach ($key in $PgPassthroughKeys) { Remove-Item -Path "Env:$key" -ErrorAction SilentlyContinue }
    $env:COMPOSE_PROFILES = ''
    $run = @('run', '--rm', '--no-deps', '-T')
    if ($Build) { $run += '--build' }
    $output = Get-ComposeStdout ($run + @('app', 'python') + $Describe)
    $code = $LASTEXITCODE
    try { $report = ConvertFrom-Json -InputObject $output -ErrorAction Stop }
    catch { $report = $null }
    if ($null -eq $report) {
        Fail "could not read the settings: 'python $($Describe -join ' ')' in the app image failed (exit $code); see the message above"
    }
    foreach ($warning in @($report.warnings)) { Write-Warning $warning }
    foreach ($problem in @($report.problems)) { Fail $problem }

    # Without its options (sslmode=...): the guides show the server and database.
    $result = [ordered]@{
        Mode = [string]$report.engine; Label = [string]$report.engine; MaskedUrl = ([string]$report.url).Split('?')[0]
        Server = [string]$report.host; Bundled = [bool]$report.bundled; Environment = @{}
        ResolvedFrom = [string]$report.resolved_from
    }
    foreach ($property in $report.compose_environment.PSObject.Properties) {
        $result.Environment[$property.Name] = [string]$property.Value
    }
    if ($result.Mode -eq 'postgresql') {
        if ($result.Bundled) { $result.Label = 'postgresql (bundled db)' }
        else { $result.Label = "postgresql (external host $($result.Server))" }
    }
    return New-Object PSObject -Property $result
}

# -PgBouncer: PgBouncer goes in front of the bundled db, and the app reaches it through
# POSTGRES_HOST and POSTGRES_PORT; anything else in .env contradicts that, in one line. Then
# Label and MaskedUrl name the app's way in.
function Use-PgBouncer($Db) {
    $how = 'leave -PgBouncer out'
    if ($Db.Mode -ne 'postgresql') {
        Fail "-PgBouncer needs PostgreSQL mode with the bundled db service, but $EnvFile gives SQLite: set DATABASE_ENGINE=postgresql there first, or $how"
    }
    if ($Db.Server -eq $PgBouncerService) {
        Fail "-PgBouncer points the app at PgBouncer itself, but $EnvFile already names host ${PgBouncerService}: leave DATABASE_URL and POSTGRES_HOST blank there (the app then uses the bundled db behind PgBouncer)"
    }
    if (-not $Db.Bundled) {
        Fail "-PgBouncer puts PgBouncer in front of the bundled db service, but $EnvFile names the external host $($Db.Server): $how"
    }
    if ($Db.ResolvedFrom.StartsWith('DATABASE_URL')) {
        Fail "-PgBouncer points the app at PgBouncer through POSTGRES_HOST and POSTGRES_PORT, which DATABASE_URL in $EnvFile overrides: leave DATABASE_URL blank there (DATABASE_ENGINE=postgresql, POSTGRES_HOST blank), or $how"
    }
    $Db.Label = 'postgresql (bundled db, through PgBouncer)'
    $Db.MaskedUrl = "postgresql+psycopg://$($Db.Environment['POSTGRES_USER']):***@${PgBouncerService}:$PgBouncerPort/$($Db.Environment['POSTGRES_DB'])"
}

# -PgBouncer (after Use-PgBouncer and Set-ComposeEnvironment): the `pgbouncer` profile on, and
# the app sent to it. The bundled db behind it stays POSTGRES_DIRECT_URL, for background jobs
# and backups; its password goes through the environment only, like POSTGRES_PASSWORD.
function Set-PgBouncerEnvironment($Db) {
    $user = [Uri]::EscapeDataString($Db.Environment['POSTGRES_USER'])
    $database = [Uri]::EscapeDataString($Db.Environment['POSTGRES_DB'])
    $password = [Uri]::EscapeDataString([string]$env:POSTGRES_PASSWORD)
    $env:COMPOSE_PROFILES = $AllProfiles
    $env:POSTGRES_HOST = $PgBouncerService
    $env:POSTGRES_PORT = $PgBouncerPort
    $env:POSTGRES_PGBOUNCER = 'true'
    $env:POSTGRES_DIRECT_URL = "postgresql://${user}:$password@$PgBouncerServer/$database"
}

# Say so when the app will use a server outside Compose; the bundled db stays down.
function Write-ExternalServer($Db) {
    if ($Db.Mode -eq 'postgresql' -and -not $Db.Bundled) {
        Write-Host "server: external PostgreSQL host $($Db.Server) (the bundled db service is not started)"
    }
}

# Compose reads these at interpolation time; .env stays the single source of truth. Without
# the postgres profile the db service does not exist, and the app's optional depends_on on it
# drops out: the app starts alone.
function Set-ComposeEnvironment($Db, [hashtable]$Values) {
    $env:COMPOSE_PROFILES = ''
    foreach ($key in $PgPassthroughKeys) { Remove-Item -Path "Env:$key" -ErrorAction SilentlyContinue }
    if ($Db.Mode -eq 'postgresql') {
        if ($Db.Bundled) { $env:COMPOSE_PROFILES = 'postgres' }
        # The POSTGRES_* describe resolved with (blank ones mean the bundled db service).
        foreach ($key in $Db.Environment.Keys) {
            if ($PgPassthroughKeys -contains $key) {
                [Environment]::SetEnvironmentVariable($key, $Db.Environment[$key], 'Process')
            }
        }
        $env:POSTGRES_PASSWORD = Get-EnvValue $Values 'POSTGRES_PASSWORD'
    }
}

function Get-AppPort([hashtable]$Values) {
    $port = Get-EnvValue $Values 'APP_PORT'
    if ($port -eq '') { return '8080' }
    return $port
}

function Confirm-Action([string]$Question) {
    if ($Yes) { return $true }
    $answer = Read-Host "$Question Type 'yes' to continue"
    return ($answer -eq 'yes')
}

function Invoke-Start([hashtable]$Values) {
    if (-not (Test-Path -LiteralPath $EnvFile)) {
        Write-Warning "$EnvFile not found: running on defaults (run .\DOCKER.ps1 -Install to create it)"
    }
    Assert-Docker
    $db = Resolve-DatabaseMode -Build
    if ($PgBouncer) { Use-PgBouncer $db }
    if ($db.Bundled) { Assert-PgPassword $Values }
    Set-ComposeEnvironment $db $Values
    if ($PgBouncer) { Set-PgBouncerEnvironment $db }
    Write-Host "Starting SMS in $($db.Mode) mode"
    Write-Host "database: $($db.MaskedUrl) (the app logs the same line at startup; see -Logs)"
    Write-ExternalServer $db
    if ($PgBouncer) {
        Write-Host "pgbouncer: transaction pooling in front of the bundled db ($PgBouncerServer, which background jobs and backups use directly)"
    }
    if (Test-Path -LiteralPath $OverrideFile -PathType Leaf) { Write-Host 'compose: docker-compose.yml + docker-compose.override.yml' }
    Invoke-Compose @('up', '-d', '--build', '--wait', '--wait-timeout', '300')
    if ($LASTEXITCODE -ne 0) { Fail 'SMS did not become healthy; run .\DOCKER.ps1 -Logs to see why' }
    Write-Success "SMS is running: http://localhost:$(Get-AppPort $Values)"
}

function Invoke-Stop {
    Assert-Docker
    # Every profile, so a db or PgBouncer left over from an earlier run stops as well.
    $env:COMPOSE_PROFILES = $AllProfiles
    Invoke-Compose @('down')
    if ($LASTEXITCODE -ne 0) { Fail "docker compose down failed (exit $LASTEXITCODE)" }
    Write-Success 'SMS stopped (volumes kept)'
}

function Invoke-Status([hashtable]$Values) {
    Assert-Docker
    $db = Resolve-DatabaseMode
    if ($PgBouncer) { Use-PgBouncer $db }
    Write-Host "mode: $($db.Label)  database: $($db.MaskedUrl)"
    $env:COMPOSE_PROFILES = $AllProfiles
    Invoke-Compose @('ps')
    if ($PgBouncer) {
        if (Test-Compose @('exec', '-T', $PgBouncerService, 'bash', '-c', $PgBouncerProbe)) {
            Write-Success "pgbouncer: pass (accepts connections on ${PgBouncerService}:$PgBouncerPort)"
        }
        else {
            Fail 'pgbouncer: fail (not running or not accepting connections; start it with .\DOCKER.ps1 -Start -PgBouncer)'
        }
    }
    if (Test-Compose @('exec', '-T', 'app', 'python', '-c', $HealthProbe)) {
        Write-Success "health/ready: pass (http://localhost:$(Get-AppPort $Values)/health/ready)"
    }
    else {
        Fail 'health/ready: fail (app not running or database not ready; see .\DOCKER.ps1 -Logs)'
    }
}

# The sha256 a backup's metadata records ('' when it has none or is not JSON).
function Get-MetaSha256([string]$Json) {
    try { return [string](ConvertFrom-Json -InputObject $Json -ErrorAction Stop).sha256 }
    catch { return '' }
}

# Leave the backups volume as it was: the copy was only there to be restored.
function Remove-Copy([string]$Target) {
    Invoke-Compose @('exec', '-T', '-u', 'root', 'app', 'rm', '-f', '--', $Target, "$Target.meta.json")
}

function Invoke-Restore([hashtable]$Values, [string]$File) {
    # Everything that can be checked here is checked before Docker is touched.
    if ($File -eq '') { Fail 'restore needs a FILE or NAME: .\DOCKER.ps1 -Restore FILE|NAME [-Yes]' 2 }
    $localPath = ''
    $name = $File
    if (Test-Path -LiteralPath $File -PathType Leaf) {
        $localPath = (Resolve-Path -LiteralPath $File).Path
        $name = Split-Path -Leaf $localPath
        if ($name.EndsWith('.meta.json')) {
            Fail "$File is a backup's metadata: pass the backup file itself, $($File.Substring(0, $File.Length - 10))"
        }
        if (-not (Test-Path -LiteralPath "$localPath.meta.json" -PathType Leaf)) {
            Fail "$File has no metadata file beside it ($File.meta.json), which restore needs: copy it from where the backup was made"
        }
    }
    elseif ($File.Contains('/') -or $File.Contains('\')) {
        Fail "no such file: $File (give the path of a backup file on this machine, or the NAME of one in $ContainerBackups)"
    }
    # Whether $name is a backup name is the backup tool's to say (restore refuses any other).
    $target = "$ContainerBackups/$name"
    Assert-Docker
    $db = Resolve-DatabaseMode
    Set-ComposeEnvironment $db $Values
    if (-not (Test-Compose @('exec', '-T', 'app', 'true'))) {
        Fail 'the app container is not running: start it with .\DOCKER.ps1 -Start, then restore'
    }
    if ($localPath -and (Test-Compose @('exec', '-T', 'app', 'test', '-e', $target))) {
        # docker cp would overwrite it: only the same backup (same checksum) may stand in for it.
        $here = Get-MetaSha256 (Get-Content -LiteralPath "$localPath.meta.json" -Raw)
        $there = Get-MetaSha256 (Get-ComposeOutput @('exec', '-T', 'app', 'cat', "$target.meta.json"))
        if ($here -eq '' -or $here -ne $there) {
            Fail "a different backup named $name is already in ${ContainerBackups}: rename $File and its .meta.json alike, then restore again"
        }
        Write-Host "$name is already in $ContainerBackups with the same checksum: restoring that copy"
        $localPath = ''
    }
    elseif (-not $localPath -and -not (Test-Compose @('exec', '-T', 'app', 'test', '-f', $target))) {
        Fail "there is no backup named $name in ${ContainerBackups}: pick one from 'docker compose exec app python -m backend.scripts.backup list', or give a file path"
    }
    if (-not (Confirm-Action "Restore '$name' into the $($db.Mode) database ($($db.MaskedUrl))? This replaces its current data.")) {
        Fail 'restore cancelled; nothing changed'
    }
    if ($localPath) {
        Invoke-Compose @('cp', $localPath, "app:$target")
        if ($LASTEXITCODE -eq 0) { Invoke-Compose @('cp', "$localPath.meta.json", "app:$target.meta.json") }
        # docker cp creates root-owned files; the app runs as uid 10001.
        if ($LASTEXITCODE -eq 0) {
            Invoke-Compose @('exec', '-T', '-u', 'root', 'app', 'chown', '10001:10001', $target, "$target.meta.json")
        }
        if ($LASTEXITCODE -ne 0) {
            Remove-Copy $target
            Fail "could not copy $File and its .meta.json into the app container: nothing was restored"
        }
    }
    Invoke-Compose @('exec', '-T', 'app', 'python', '-m', 'backend.scripts.backup', 'restore', $name, '--yes')
    $code = $LASTEXITCODE
    if ($code -ne 0) {
        if ($localPath) { Remove-Copy $target }
        Fail "restore failed (exit $code): see the message above" $code
    }
    # Restart so the app reopens its connections and upgrades an older backup's schema.
    Invoke-Compose @('restart', 'app')
    Write-Success "Restored $name; the app was restarted"
}

function Invoke-Migrate([hashtable]$Values) {
    Assert-Docker
    $db = Resolve-DatabaseMode
    if ($db.Mode -ne 'postgresql') {
        Fail "-Migrate needs PostgreSQL mode: set DATABASE_ENGINE=postgresql in $EnvFile first (now: sqlite)"
    }
    if ($db.Bundled) { Assert-PgPassword $Values }
    Set-ComposeEnvironment $db $Values
    $toolArgs = @('python', '-m', 'backend.scripts.migrate_sqlite_to_postgres', '--sqlite-path', $ContainerSqlite)
    if ($given -contains 'BatchSize') { $toolArgs += @('--batch-size', [string]$BatchSize) }
    if ($Tables) { $toolArgs += '--tables'; $toolArgs += $Tables }
    if ($NoTruncate) { $toolArgs += '--no-truncate' }
    if ($SkipMigrations) { $toolArgs += '--skip-migrations' }
    if ($DryRun) { $toolArgs += '--dry-run' }
    if ($KeepSourceWritable) { $toolArgs += '--keep-source-writable' }
    if ($ForceLiveTarget) { $toolArgs += '--force-live-target' }
    if ($SourceEncoding) { $toolArgs += @('--source-encoding', $SourceEncoding) }
    if ($Yes) { $toolArgs += '--yes' }
    Write-Host "Target: $($db.MaskedUrl)"
    Write-ExternalServer $db
    if ($db.Bundled) {
        Invoke-Compose @('up', '-d', '--wait', 'db')
        if ($LASTEXITCODE -ne 0) { Fail 'the db service did not become healthy; see docker compose logs db' }
    }
    # The guide's rule: the application is stopped while data is copied. A dry run writes
    # nothing, so the app keeps serving.
    if (-not $DryRun) { Invoke-Compose @('stop', 'app') }
    # No --postgres-url: the tool falls back to DATABASE_ENGINE=postgresql and the POSTGRES_*
    # that compose gives the container (POSTGRES_HOST=db unless .env names another server).
    Invoke-Compose (@('run', '--rm', '--no-deps', 'app') + $toolArgs)
    $code = $LASTEXITCODE
    if ($DryRun) {
        if ($code -ne 0) { Fail "migration dry run failed (exit $code): nothing was written" $code }
        Write-Success 'Dry run finished: nothing was written, the app was not stopped'
        return
    }
    if ($code -ne 0) { Fail "migration failed (exit $code); the app is left stopped" $code }
    Write-Success 'Migration finished. Start the app with: .\DOCKER.ps1 -Start'
}

function New-RandomHex([int]$Bytes) {
    $buffer = New-Object byte[] $Bytes
    $rng = [System.Security.Cryptography.RandomNumberGenerator]::Create()
    try { $rng.GetBytes($buffer) } finally { $rng.Dispose() }
    return (($buffer | ForEach-Object { $_.ToString('x2') }) -join '')
}

function Invoke-Install {
    if (-not (Test-Path -LiteralPath $EnvExample)) { Fail "$EnvExample not found: cannot create .env" }
    if ((Test-Path -LiteralPath $EnvFile) -and -not $Force) {
        Fail "$EnvFile already exists: not overwriting it (use -Install -Force)"
    }
    if (Test-Path -LiteralPath $EnvFile) {
        $kept = "$EnvFile.bak-$(Get-Date -Format 'yyyyMMddHHmmss')"
        Copy-Item -LiteralPath $EnvFile -Destination $kept
        Write-Warning "old .env kept as $kept; an existing pgdata volume still uses its old POSTGRES_PASSWORD"
    }
    # The app refuses a weak SECRET_KEY in production, the compose server needs a password, and
    # without DEFAULT_ADMIN_PASSWORD no first admin is created.
    $generated = [ordered]@{
        SECRET_KEY             = New-RandomHex 32
        POSTGRES_PASSWORD      = New-RandomHex 24
        DEFAULT_ADMIN_PASSWORD = New-RandomHex 12
    }
    $seen = @{}
    $lines = New-Object System.Collections.Generic.List[string]
    foreach ($line in Get-Content -LiteralPath $EnvExample) {
        $name = $null
        foreach ($key in $generated.Keys) {
            if (-not $seen.ContainsKey($key) -and $line -match "^#?\s*$key=") { $name = $key }
        }
        if ($name) { $lines.Add($name + '=' + $generated[$name]); $seen[$name] = $true }
        else { $lines.Add($line) }
    }
    foreach ($key in $generated.Keys) {
        if (-not $seen.ContainsKey($key)) { $lines.Add($key + '=' + $generated[$key]) }
    }
    # .NET writes UTF-8 without a BOM; Set-Content -Encoding UTF8 on 5.1 adds one, which breaks
    # the first key for Compose.
    [System.IO.File]::WriteAllLines($EnvFile, $lines.ToArray())
    Write-Success "Created $EnvFile with a new $($generated.Keys -join ', ') (values not shown; read them there)"
}

# --- main ---------------------------------------------------------------------------------
if ($Help) {
    Write-Output $HelpText
    exit 0
}

# Validation works on parameter names, so the variables themselves appear only where handled.
$given = @($PSBoundParameters.Keys)
$actionNames = @('Start', 'Stop', 'Restart', 'Status', 'Logs', 'Backup', 'Restore', 'Migrate', 'Install')
$chosen = @($actionNames | Where-Object { $given -contains $_ })
if ($chosen.Count -gt 1) { Fail "choose one action, not -$($chosen -join ' and -') (see .\DOCKER.ps1 -Help)" 2 }
$migrateOptions = @(@('BatchSize', 'Tables', 'NoTruncate', 'SkipMigrations', 'DryRun', 'KeepSourceWritable',
        'ForceLiveTarget', 'SourceEncoding') | Where-Object { $given -contains $_ })
if ($migrateOptions.Count -gt 0 -and $chosen -notcontains 'Migrate') {
    Fail "-$($migrateOptions -join ', -') only apply to -Migrate" 2
}
if ($given -contains 'Force' -and $chosen -notcontains 'Install') { Fail '-Force only applies to -Install' 2 }
# -Start is also what runs when no action is given.
$pgBouncerActions = @('Start', 'Restart', 'Stop', 'Status')
if ($given -contains 'PgBouncer' -and $chosen.Count -gt 0 -and $pgBouncerActions -notcontains $chosen[0]) {
    Fail "-PgBouncer only applies to -Start, -Restart, -Stop and -Status (not -$($chosen[0]))" 2
}
if ($given -contains 'Yes' -and $chosen -notcontains 'Migrate' -and $chosen -notcontains 'Restore') {
    Fail '-Yes only applies to -Restore and -Migrate' 2
}

$envValues = Read-DotEnv $EnvFile
# $env: changes would outlive the script in the caller's session; put them back at the end.
$savedEnv = @{}
foreach ($key in $ComposeEnvKeys) { $savedEnv[$key] = [Environment]::GetEnvironmentVariable($key, 'Process') }
try {
    if ($Stop) { Invoke-Stop }
    elseif ($Restart) { Invoke-Stop; Invoke-Start $envValues }
    elseif ($Status) { Invoke-Status $envValues }
    elseif ($Logs) { Assert-Docker; Invoke-Compose @('logs', '-f', 'app') }
    elseif ($Backup) {
        Assert-Docker
        Invoke-Compose @('exec', '-T', 'app', 'python', '-m', 'backend.scripts.backup', 'create')
        if ($LASTEXITCODE -ne 0) { Fail "backup failed (exit $LASTEXITCODE)" $LASTEXITCODE }
    }
    elseif ($chosen -contains 'Restore') { Invoke-Restore $envValues $Restore }
    elseif ($Migrate) { Invoke-Migrate $envValues }
    elseif ($Install) { Invoke-Install }
    elseif ($Start -or $chosen.Count -eq 0) { Invoke-Start $envValues }
}
finally {
    foreach ($key in $ComposeEnvKeys) { [Environment]::SetEnvironmentVariable($key, $savedEnv[$key], 'Process') }
}
