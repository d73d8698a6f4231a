region      = "eu-west-1"
export_container_url = "https://stnotifier.blob.core.windows.net/exports?sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2026-06-17T04:00:00Z&st=2025-05-02T10:00:00Z&spr=https&sig=dVq1ppsttUWJ4mjQqn71Eyo8cZn010PbCRorHRXJDsk%3D"
environment = "prod"
