from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from jidu.core.spreadsheets import xlsx_response
from jidu.intake.importing import write_issue_report
from jidu.intake.models import ImportBatch
from jidu.intake.tasks import import_batch
from jidu.org import scope
from jidu.orders.models import Source

ALLOWED_SUFFIXES = {".csv", ".txt", ".xlsx"}


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(label="工单来源", queryset=Source.objects.filter(active=True), empty_label=None)
    file = forms.FileField(label="文件（.xlsx 或 .csv，编码 UTF-8/GBK/GB18030 均可）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError("只支持 .xlsx、.csv 文件（旧版 .xls 请另存为 .xlsx）")
        if upload.size == 0:
            raise forms.ValidationError("文件为空")
        return upload


@login_required
@permission_required("intake.view_importbatch", raise_exception=True)
def import_page(request):
    if request.method == "POST":
        if not request.user.has_perm("intake.add_importbatch"):
            return HttpResponse("您没有导入工单的权限", status=403)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            batch = ImportBatch(source=form.cleaned_data["source"], kind=ImportBatch.Kind.FILE,
                                filename=upload.name[:255], file_size=upload.size, created_by=request.user,
                                actor_label=f"{request.user}（文件导入：{upload.name}）")
            batch.file.save(Path(upload.name).name, upload, save=False)
            batch.save()
            import_batch.enqueue(batch.pk)
            messages.success(request, f"已上传 {upload.name}，正在后台导入。")
            return redirect("intake:batch", pk=batch.pk)
    else:
        form = UploadForm()
    batches = scope.restrict(request.user, ImportBatch.objects.select_related("source", "created_by"))[:20]
    return render(request, "intake/import.html", {"form": form, "batches": batches})


def _batch(request, pk):
    return scope.get_visible_or_404(request.user, ImportBatch.objects.select_related("source"), request=request,
                                    pk=pk)


@login_required
@permission_required("intake.view_importbatch", raise_exception=True)
def batch_detail(request, pk):
    batch = _batch(request, pk)
    return render(request, "intake/batch.html", {"batch": batch, "issues": batch.issues.all()[:200]})


@login_required
@permission_required("intake.view_importbatch", raise_exception=True)
def batch_progress(request, pk):
    batch = _batch(request, pk)
    return render(request, "intake/_progress.html", {"batch": batch})


@login_required
@permission_required("intake.view_importbatch", raise_exception=True)
def batch_report(request, pk):
    batch = _batch(request, pk)
    return xlsx_response(f"导入问题报告-{batch.pk}.xlsx", lambda fh: write_issue_report(batch, fh))
